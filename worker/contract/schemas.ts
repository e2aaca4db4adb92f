/**
 * Input primitives shared by the portal's forms and the API's validators, so both say the same thing.
 */
import { z } from "zod";

export const EmailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .min(1, "Email is required.")
  .max(254, "Email is too long.")
  .email("Enter a valid email address.")
  .transform((v) => v.toLowerCase());

/** Sign-in accepts any non-empty password up to a bound (policy is enforced when a password is set). */
export const LoginPasswordSchema = z
  .string({ error: "Password is required." })
  .min(1, "Password is required.")
  .max(1024, "Password is too long.");

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** Why staff did something (unblock a card, pause dunning, decide a request): kept in the audit log. */
export const ReasonSchema = z.string().trim().min(1, "Enter a reason.").max(500, "Use at most 500 characters.");

export const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use the format YYYY-MM-DD.");
