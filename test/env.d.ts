declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    SMTP_CONTROL_PORT: string;
    SMTP_AUTH_PORT: string;
    SMTP_AUTH_CONTROL_PORT: string;
    SMTP_STARTTLS_PORT: string;
    SMTP_STARTTLS_CONTROL_PORT: string;
    SMTP_TLS_PORT: string;
    SMTP_TLS_CONTROL_PORT: string;
    SMTP_TEST_USER: string;
    SMTP_TEST_PASS: string;
    STRIPE_API_PORT: string;
    CLOCK_OFFSET_MS: string;
  }
  interface GlobalProps {
    mainModule: typeof import("../worker/index");
  }
}
