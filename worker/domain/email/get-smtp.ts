/** "SMTP Configuration" as the form shows it. The password is never returned: only whether one is set. */
import type { SmtpSettingsDto } from "../../contract/email-dto";
import type { ActorContext } from "../context";
import { allowLoopback, developmentSmtp, loadSmtpRow } from "./smtp-settings";

export async function getSmtp(args: { ctx: ActorContext }): Promise<SmtpSettingsDto> {
  const { ctx } = args;
  const production = ctx.config.APP_ENV === "production";
  const row = await loadSmtpRow(ctx);
  if (row) {
    return {
      source: "saved",
      host: row.host,
      port: row.port,
      secure: row.secure,
      useAuth: row.useAuth,
      login: row.login ?? "",
      passwordSet: !!row.passwordEnc,
      fromName: row.fromName,
      fromAddress: row.fromAddress,
      updatedAt: new Date(row.updatedAt).toISOString(),
      production,
      allowLoopback: allowLoopback(ctx.config),
    };
  }
  const dev = developmentSmtp(ctx.config);
  return {
    source: dev ? "development" : "none",
    host: dev?.host ?? "",
    port: dev?.port ?? 25,
    secure: false,
    useAuth: false,
    login: "",
    passwordSet: false,
    fromName: dev?.fromName ?? ctx.config.RP_NAME,
    fromAddress: dev?.fromAddress ?? "",
    updatedAt: null,
    production,
    allowLoopback: allowLoopback(ctx.config),
  };
}
