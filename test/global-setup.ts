/**
 * vitest globalSetup for the workers pool (test/worker/**). Runs once, in Node, before any test file.
 *
 * Starts the local fakes on 127.0.0.1, port 0, and hands their ports to the tests with
 * `provide()`; vitest.config.ts turns them into Miniflare bindings (inject("smtpPort"), ...).
 * Tests reach the fakes' control APIs over HTTP, since code in workerd cannot call Node.
 *
 * Everything started here is closed in the returned teardown; a server left open keeps vitest
 * from exiting ("something prevents Vite server from exiting", platform.md §5).
 */
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { startSmtpSink, type SmtpSink } from "./fakes/smtp-sink";
import { startFakeStripe } from "./fakes/fake-stripe";

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
    /** Fake Stripe API on http://127.0.0.1:<stripePort>; control routes under /__control/. */
    stripePort: number;
  }
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
      startFakeStripe().then(track),
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
