/**
 * Credentials of the local Stripe and the local ADPAY sandbox (test/fakes/stripe, ADR 016a/016b).
 *
 * Fixed defaults, so that a gateway configured once in the local portal (keys saved, encrypted, in the local D1)
 * keeps working across `npm start` restarts and the tests can import them; every one is overridable
 * (options of `startLocalStripe`, or the LOCAL_STRIPE_* / LOCAL_ADPAY_* variables read by scripts/start.mjs).
 * They unlock nothing but a server on this machine. Pure module: importable from workerd tests too.
 */

export const LOCAL_STRIPE_KEYS = {
  /** Server-side key (stripe-node). */
  secretKey: "sk_test_local_cumulus_4eC39HqLyjWDarjtT1zdp7dc",
  /** Browser key for Stripe.js: may only call what Stripe.js calls. */
  publishableKey: "pk_test_local_cumulus_TYooMQauvdEDq54NiTphI7jx",
  /** Read-only restricted key: GET requests only (a "Verify" with such a key works; writes get 403). */
  restrictedKey: "rk_test_local_cumulus_readonly_9gW2xk",
  /** Signing secret of the webhook endpoint configured at start-up. */
  webhookSecret: "whsec_local_cumulus_0b5f3c7e8d9a41e2b6c4d8f1a7e3c5b9",
} as const;

export const LOCAL_ADPAY_CREDENTIALS = {
  merchantId: "M-LOCAL-000001",
  apiKey: "adpk_test_local_cumulus_5c1d9e",
  secret: "adps_test_local_cumulus_8f2b7a4c6e1d3f5a",
  name: "Cumulus local merchant",
} as const;

/** Default port of the local Stripe (and ADPAY sandbox) under `npm start`; tests use port 0. */
export const LOCAL_STRIPE_DEFAULT_PORT = 12111;

/**
 * A second secret key of the local Stripe, used only by the fault-injection test and benchmark: seeded random faults
 * are switched on for this key alone (`POST /__control/chaos`, faults.ts), so nothing else sharing the server meets them.
 */
export const FAULTS_SECRET_KEY = "sk_test_local_cumulus_faults_q8Zr2LxT";
