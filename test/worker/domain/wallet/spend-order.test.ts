/** The order a wallet payment spends credit in (worker/domain/wallet/spend-order.ts). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planWalletSpend } from "../../../../worker/domain/wallet/spend-order";

describe("wallet spend order (documented, for wallet payments)", () => {
  it("takes soonest-expiring free credit first, then non-expiring, then paid; skips expired grants", () => {
    const plan = planWalletSpend({
      amountMinor: 1000,
      today: "2026-11-22",
      paidMinor: 5000,
      grants: [
        { id: "never", remainingMinor: 300, expiresAt: null, createdAt: 1 },
        { id: "dec", remainingMinor: 200, expiresAt: "2026-12-31", createdAt: 2 },
        { id: "gone", remainingMinor: 900, expiresAt: "2026-11-21", createdAt: 0 },
        { id: "nov", remainingMinor: 100, expiresAt: "2026-11-30", createdAt: 3 },
      ],
    });
    expect(plan).toEqual({ fromGrants: [{ id: "nov", amountMinor: 100 }, { id: "dec", amountMinor: 200 }, { id: "never", amountMinor: 300 }], fromPaidMinor: 400, uncoveredMinor: 0 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 5000 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 5 }), (amount, paid, grants) => {
        const p = planWalletSpend({ amountMinor: amount, today: "2026-01-01", paidMinor: paid, grants: grants.map((g, i) => ({ id: `g${i}`, remainingMinor: g, expiresAt: null, createdAt: i })) });
        const taken = p.fromGrants.reduce((a, g) => a + g.amountMinor, 0) + p.fromPaidMinor;
        expect(taken + p.uncoveredMinor).toBe(amount);
        expect(p.fromPaidMinor).toBeLessThanOrEqual(paid);
      }),
    );
  });
});
