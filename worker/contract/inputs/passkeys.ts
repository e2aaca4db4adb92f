import { z } from "zod";

export const PasskeyName = z.string({ error: "Give the passkey a name." }).trim().min(1, "Give the passkey a name.").max(64, "Use at most 64 characters.");

/** A WebAuthn response as @simplewebauthn/browser produces it; the library verifies the inside. */
export const WebAuthnResponse = z
  .object({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal("public-key"),
    response: z.record(z.string(), z.unknown()),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.string().optional(),
  })
  .passthrough();

export const FinishRegistrationInput = z.object({ name: PasskeyName, response: WebAuthnResponse });
export type FinishRegistrationInput = z.infer<typeof FinishRegistrationInput>;

export const FinishAuthenticationInput = z.object({ response: WebAuthnResponse });
export type FinishAuthenticationInput = z.infer<typeof FinishAuthenticationInput>;

export const RenamePasskeyInput = z.object({ name: PasskeyName });
