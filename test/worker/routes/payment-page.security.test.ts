/** The Payment Info document: the static CSP widened by exactly the Stripe.js origin, nothing else. */
import { describe, expect, it } from "vitest";
import { cspWithGateway, PORTAL_CSP } from "../../../worker/routes/payment-page";
import { testClient } from "../../helpers";
import { localStripeUrl } from "../../local-stripe";

describe("Payment Info page", () => {
  it("is the portal's index.html with script-src, frame-src and connect-src admitting the Stripe.js origin only", async () => {
    const res = await testClient().request("GET", "/billing/payment-info");
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<div id="root"|<script type="module"/);
    const csp = res.headers.get("content-security-policy")!;
    const origin = localStripeUrl();
    expect(csp).toContain(`script-src 'self' ${origin}`);
    expect(csp).toContain(`frame-src 'self' blob: ${origin}`);
    expect(csp).toContain(`connect-src 'self' ${origin}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it("production's origin is js.stripe.com", () => {
    expect(cspWithGateway(PORTAL_CSP, "https://js.stripe.com")).toContain("script-src 'self' https://js.stripe.com;");
  });
});
