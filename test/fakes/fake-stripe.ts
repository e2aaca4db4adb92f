/**
 * The fake Stripe the tests start: now the local Stripe server in ./stripe (ADR 016a), which `npm start` runs too.
 * Kept as the import path the test setups and older tests use.
 */
export { LOCAL_ADPAY_CREDENTIALS, LOCAL_STRIPE_KEYS, parseForm, startFakeStripe, startLocalStripe, type FakeStripe, type LocalStripe, type LocalStripeOptions } from "./stripe/index";
