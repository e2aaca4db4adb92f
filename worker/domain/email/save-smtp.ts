/**
 * "SMTP Configuration" → Done. The host passes the SSRF rules (smtp-host.ts), the port the platform rules
 * (port 25 is blocked on Cloudflare), the password is encrypted with AAD and kept when the field is left
 * empty, and an audit row (password masked) is written in the same batch.
 */
import { SaveSmtpInput, type SmtpSettingsDto } from "../../contract/email-dto";
import { atomically } from "../../db/atomic";
import { emailSmtpSettings } from "../../db/schema";
import { validationFailed } from "../../errors";
import { encryptSecret } from "../../integrations/crypto/secrets";
import { auditStatement } from "../audit/record";
import type { ActorContext } from "../context";
import { getSmtp } from "./get-smtp";
import { smtpHostProblem, smtpPortProblem } from "./smtp-host";
import { allowLoopback, loadSmtpRow, SMTP_PASSWORD_AAD, SMTP_ROW_ID } from "./smtp-settings";

export async function saveSmtp(args: { ctx: ActorContext; input: SaveSmtpInput }): Promise<SmtpSettingsDto> {
  const { ctx } = args;
  const input = SaveSmtpInput.parse(args.input);
  const fields: Record<string, string> = {};
  const hostProblem = smtpHostProblem(input.host, { allowLoopback: allowLoopback(ctx.config) });
  if (hostProblem) fields.host = hostProblem;
  const portProblem = smtpPortProblem(input.port, { production: ctx.config.APP_ENV === "production" });
  if (portProblem) fields.port = portProblem;
  const before = await loadSmtpRow(ctx);
  const newPassword = input.password ? input.password : null;
  if (input.useAuth && !input.login) fields.login = "Login is required when Use Authentication is checked.";
  if (input.useAuth && !newPassword && !before?.passwordEnc) fields.password = "Password is required when Use Authentication is checked.";
  if (Object.keys(fields).length) throw validationFailed(fields);

  const now = ctx.clock.now();
  const passwordEnc = !input.useAuth ? null : newPassword ? await encryptSecret(ctx.config.SECRETS_KEY, newPassword, SMTP_PASSWORD_AAD) : (before?.passwordEnc ?? null);
  const values = {
    host: input.host.trim().toLowerCase(),
    port: input.port,
    secure: input.secure,
    useAuth: input.useAuth,
    login: input.useAuth ? input.login : null,
    passwordEnc,
    fromName: input.fromName,
    fromAddress: input.fromAddress,
    updatedBy: ctx.principal.userId,
    updatedAt: now,
  };
  const view = (r: Omit<typeof values, "updatedBy"> | undefined) =>
    r ? { host: r.host, port: r.port, secure: r.secure, useAuth: r.useAuth, login: r.login, password: r.passwordEnc, fromName: r.fromName, fromAddress: r.fromAddress } : null;
  await atomically(ctx.db, [
    ctx.db.insert(emailSmtpSettings).values({ id: SMTP_ROW_ID, ...values }).onConflictDoUpdate({ target: emailSmtpSettings.id, set: values }),
    // `password` is masked by the audit diff (secret-looking field name): only "changed" is recorded.
    auditStatement(ctx, { action: "email.smtp.save", orgId: null, targetType: "smtp_settings", targetId: SMTP_ROW_ID, before: view(before), after: view(values) }),
  ]);
  return getSmtp({ ctx });
}
