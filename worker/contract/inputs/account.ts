import { z } from "zod";
import { COUNTRY_MESSAGE, isCountryCode } from "../countries";
import { EmailSchema, LoginPasswordSchema } from "../schemas";

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional();

/** Accepts +CC… with spaces, dashes, dots or brackets (or a leading 00); stores E.164 (+ and 8–15 digits). */
export const PhoneSchema = z
  .string()
  .trim()
  .max(32, "The phone number is too long.")
  .transform((v, ctx) => {
    if (v === "") return null;
    let s = v.replace(/[\s.\-()]/g, "");
    if (s.startsWith("00")) s = `+${s.slice(2)}`;
    if (!/^\+[1-9]\d{7,14}$/.test(s)) {
      ctx.addIssue({ code: "custom", message: "Enter the number in international format, e.g. +44 20 7946 0000." });
      return z.NEVER;
    }
    return s;
  })
  .nullable()
  .optional();

const TimeZoneSchema = z
  .string()
  .trim()
  .min(1, "Choose a time zone.")
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Choose a valid time zone.");

export const ProfileInput = z.object({
  firstName: z.string().trim().min(1, "First name is required.").max(100, "First name must be at most 100 characters."),
  lastName: z.string().trim().min(1, "Last name is required.").max(100, "Last name must be at most 100 characters."),
  email: EmailSchema,
  phone: PhoneSchema,
  country: z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => v === "" || isCountryCode(v), COUNTRY_MESSAGE)
    .transform((v) => (v === "" ? null : v))
    .nullable()
    .optional(),
  city: optionalText(100, "City"),
  timeZone: TimeZoneSchema,
  jobTitle: optionalText(200, "Job title / other details"),
});
export type ProfileInput = z.input<typeof ProfileInput>;

export const ChangePasswordInput = z
  .object({
    oldPassword: LoginPasswordSchema,
    newPassword: z.string({ error: "Enter a new password." }).min(1, "Enter a new password.").max(1024, "The password is too long."),
    confirmPassword: z.string({ error: "Repeat the new password." }).min(1, "Repeat the new password."),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The passwords do not match." });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const ConfirmEmailInput = z.object({ token: z.string().trim().regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid.") });
export type ConfirmEmailInput = z.infer<typeof ConfirmEmailInput>;
