/**
 * Which SMTP server the consumer uses: the admin's "SMTP Configuration" (D1, password encrypted) when saved;
 * otherwise, in development and tests, the SMTP_HOST/SMTP_PORT variables (the local mail catcher / SMTP sink,
 * plain, no auth). A saved host is re-checked against the SSRF rules before every connection.
 */
import { eq } from "drizzle-orm";
import { emailSmtpSettings } from "../../db/schema";
import type { Config } from "../../env";
import { decryptSecret } from "../../integrations/crypto/secrets";
import type { SmtpSettings } from "../../integrations/mailer";
import type { DomainContext } from "../context";
import { smtpHostProblem, smtpPortProblem } from "./smtp-host";

export const SMTP_ROW_ID = "default";
/** AAD for the SMTP password: owner | kind | key version (binds the ciphertext to its row: a sealed value copied elsewhere does not decrypt). */
export const SMTP_PASSWORD_AAD = "platform|smtp.password|v1";

export function developmentSmtp(config: Config): SmtpSettings | null {
  if (!config.SMTP_HOST || !config.SMTP_PORT) return null;
  const host = new URL(config.PUBLIC_ORIGIN).hostname;
  return {
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: false,
    startTls: false,
    fromAddress: `no-reply@${host.includes(".") ? host : `${host}.localdomain`}`,
    fromName: config.RP_NAME,
  };
}

export const allowLoopback = (config: Config) => config.APP_ENV !== "production" && config.SMTP_ALLOW_LOOPBACK === "true";

export type SmtpRow = typeof emailSmtpSettings.$inferSelect;

export async function loadSmtpRow(ctx: Pick<DomainContext, "db">): Promise<SmtpRow | undefined> {
  return ctx.db.select().from(emailSmtpSettings).where(eq(emailSmtpSettings.id, SMTP_ROW_ID)).get();
}

/** "Use Secured Connection": implicit TLS on 465, STARTTLS on any other port. */
export function transportFor(port: number, secured: boolean): { secure: boolean; startTls: boolean } {
  if (!secured) return { secure: false, startTls: false };
  return port === 465 ? { secure: true, startTls: false } : { secure: false, startTls: true };
}

export async function settingsFromRow(config: Config, row: SmtpRow): Promise<SmtpSettings> {
  const problem = smtpHostProblem(row.host, { allowLoopback: allowLoopback(config) }) ?? smtpPortProblem(row.port, { production: config.APP_ENV === "production" });
  if (problem) throw new Error(`SMTP configuration refused: ${problem}`);
  return {
    host: row.host,
    port: row.port,
    ...transportFor(row.port, row.secure),
    ...(row.useAuth && row.login ? { username: row.login, password: row.passwordEnc ? await decryptSecret(config.SECRETS_KEY, row.passwordEnc, SMTP_PASSWORD_AAD) : "" } : {}),
    fromAddress: row.fromAddress,
    fromName: row.fromName,
  };
}

/** The settings to send with, or null when nothing is configured. Throws when the saved row is unusable. */
export async function effectiveSmtp(ctx: Pick<DomainContext, "db" | "config">): Promise<SmtpSettings | null> {
  const row = await loadSmtpRow(ctx);
  if (row) return settingsFromRow(ctx.config, row);
  return developmentSmtp(ctx.config);
}
