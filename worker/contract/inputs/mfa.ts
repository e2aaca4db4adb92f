import { z } from "zod";

export const CodeInput = z.object({
  code: z
    .string({ error: "Enter the code." })
    .trim()
    .min(1, "Enter the code.")
    .max(64, "The code is too long."),
});
export type CodeInput = z.infer<typeof CodeInput>;

export const MfaPolicyInput = z.object({ requireMfaStaff: z.boolean(), requireMfaAll: z.boolean() });
export type MfaPolicyInput = z.infer<typeof MfaPolicyInput>;
