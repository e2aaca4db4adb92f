/**
 * New-password rules (ASVS 6.2): at least 12 characters, at most 128, no composition rules, refused when it
 * is a common password (offline list, lazily imported so it costs nothing at worker start-up). The list is
 * checked on the lower-cased password and on its core with leading/trailing digits and symbols removed,
 * so "Password2026!" is refused like "password".
 */
let listPromise: Promise<Set<string>> | undefined; // isolate cache: parse the 80 KB list once per isolate

function commonPasswords(): Promise<Set<string>> {
  // A Text module (wrangler's default rule for *.txt): data, not code; loaded on first use.
  listPromise ??= import("./common-passwords.txt").then((m) => new Set(m.default.split("\n").filter(Boolean)));
  return listPromise;
}

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A message for the field, or null when the password is acceptable. */
export async function passwordProblem(password: string, context: { email?: string; oldPassword?: string } = {}): Promise<string | null> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  if (context.oldPassword !== undefined && password === context.oldPassword) return "The new password must be different from the old one.";
  const lower = password.toLowerCase();
  if (context.email && lower.includes(context.email.split("@")[0]!.toLowerCase()) && context.email.split("@")[0]!.length >= 4) {
    return "Do not use your email address in your password.";
  }
  const list = await commonPasswords();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (list.has(lower) || (core.length >= 4 && list.has(core)) || new Set(lower).size <= 2) {
    return "This password is too common. Choose one that is harder to guess (a few unrelated words work well).";
  }
  return null;
}
