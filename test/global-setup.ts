/**
 * vitest globalSetup for the workers pool (test/worker/**). Runs once, in Node, before any test file.
 *
 * Starts the local fakes on 127.0.0.1, port 0, and hands their ports to the tests with
 * `provide()`; vitest.config.ts turns them into Miniflare bindings (inject("smtpPort"), ...).
 * Tests reach the fakes' control APIs over HTTP, since code in workerd cannot call Node.
 *
 * Everything started here is closed in the returned teardown; a server left open keeps vitest
 * from exiting ("something prevents Vite server from exiting").
 */
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startSmtpSink, type SmtpSink } from "./fakes/smtp-sink";
import { LOCAL_STRIPE_KEYS, startFakeStripe } from "./fakes/fake-stripe";
import { FAULTS_SECRET_KEY } from "./fakes/stripe/keys";

/** Credentials every AUTH-requiring sink (auth, starttls, tls) accepts. */
const SMTP_USER = "cumulus-test";
const SMTP_PASS = "cumulus-test-pass";

declare module "vitest" {
  export interface ProvidedContext {
    /** Plain sink: no AUTH, no STARTTLS (worker-mailer `startTls: false`, no credentials). */
    smtpPort: number;
    smtpControlPort: number;
    /** AUTH PLAIN/LOGIN over plaintext (`credentials`, `startTls: false`). */
    smtpAuthPort: number;
    smtpAuthControlPort: number;
    /** STARTTLS + AUTH (`startTls: true`); needs NODE_EXTRA_CA_CERTS=test/fakes/tls/ca.pem. */
    smtpStarttlsPort: number;
    smtpStarttlsControlPort: number;
    /** Implicit TLS + AUTH (`secure: true`); same CA requirement. */
    smtpTlsPort: number;
    smtpTlsControlPort: number;
    /** Credentials for the auth, starttls and tls sinks. */
    smtpUser: string;
    smtpPass: string;
    /** Local Stripe (test/fakes/stripe, ADR 016a) on http://127.0.0.1:<stripePort>: API /v1, Stripe.js /v3/,
     *  ADPAY sandbox /adpay/v1, control routes /__control/. Keys: LOCAL_STRIPE_KEYS (test/fakes/stripe/keys.ts). */
    stripePort: number;
  }
}

/** TEST_NOW (scripts/test.sh) as an offset, so card expiry checks and timestamps agree with the Worker's clock. */
function testClockOffsetMs(): number {
  const at = process.env.TEST_NOW ? Date.parse(process.env.TEST_NOW) : NaN;
  return Number.isNaN(at) ? 0 : at - Date.now();
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const closers: (() => Promise<void>)[] = [];
  const track = <T extends { close(): Promise<void> }>(server: T): T => (closers.push(() => server.close()), server);
  const teardown = async () => {
    await Promise.allSettled(closers.map((close) => close()));
  };

  try {
    const creds = { user: SMTP_USER, pass: SMTP_PASS };
    const [plain, auth, starttls, tls, stripe] = await Promise.all([
      startSmtpSink({ mode: "plain" }).then(track),
      startSmtpSink({ mode: "auth", ...creds }).then(track),
      startSmtpSink({ mode: "starttls", ...creds }).then(track),
      startSmtpSink({ mode: "tls", ...creds }).then(track),
      // Short webhook backoff so retry tests take milliseconds; the same clock as the Worker under TEST_NOW.
      // Keys: the local defaults (test/fakes/stripe/keys.ts) and "sk_test_cumulus", the key tests written for the
      // first fake used (it accepted any sk_test_ key; unknown keys now get Stripe's 401).
      startFakeStripe({
        secretKeys: [LOCAL_STRIPE_KEYS.secretKey, "sk_test_cumulus", FAULTS_SECRET_KEY],
        delivery: { backoffMs: 50, backoffMaxMs: 400, maxAttempts: 5 },
        clockOffsetMs: testClockOffsetMs(),
      }).then(track),
    ]);
    const sink = (prefix: "smtp" | "smtpAuth" | "smtpStarttls" | "smtpTls", s: SmtpSink) => {
      provide(`${prefix}Port`, s.smtpPort);
      provide(`${prefix}ControlPort`, s.controlPort);
    };
    sink("smtp", plain);
    sink("smtpAuth", auth);
    sink("smtpStarttls", starttls);
    sink("smtpTls", tls);
    provide("smtpUser", SMTP_USER);
    provide("smtpPass", SMTP_PASS);
    provide("stripePort", stripe.port);
  } catch (err) {
    await teardown(); // a half-started setup must not leave servers holding the process open
    throw err;
  }

  // Miniflare reads NODE_EXTRA_CA_CERTS once, when it is first imported (before this file runs),
  // so it cannot be set from here; scripts/test.sh exports it. Warn instead of failing, because
  // only the TLS-mode mail tests need it.
  const ca = resolve(import.meta.dirname, "fakes/tls/ca.pem");
  if (resolve(process.env.NODE_EXTRA_CA_CERTS ?? "") !== ca) {
    console.warn(`[global-setup] NODE_EXTRA_CA_CERTS is not ${ca}; STARTTLS/TLS mail tests will fail certificate checks.`);
  }

  return teardown;
}
