/**
 * Which SMTP server the consumer uses. Development and tests use the SMTP_HOST/SMTP_PORT variables (the local
 * mail catcher / SMTP sink, plain, no auth); the email settings issue adds the admin's "SMTP Configuration",
 * stored in D1 with the password encrypted, which takes precedence.
 */
import type { Config } from "../../env";
import type { SmtpSettings } from "../../integrations/mailer";

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
