declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    SMTP_CONTROL_PORT: string;
    STRIPE_API_PORT: string;
  }
  interface GlobalProps {
    mainModule: typeof import("../worker/index");
  }
}
