/**
 * Images for templates (logo, pictures): uploaded by the administrator, stored in D1 (base64, 512 KB max,
 * PNG/JPEG/GIF/WebP checked by magic bytes, never SVG), served publicly so mail clients can load them.
 */
import { desc, eq } from "drizzle-orm";
import { UploadAssetInput, type EmailAsset } from "../../contract/email-dto";
import { assetUrl } from "../../contract/email-render";
import { atomically } from "../../db/atomic";
import { newId } from "../../db/ids";
import { emailAssets } from "../../db/schema";
import { validationFailed } from "../../errors";
import { fromBase64 } from "../../integrations/crypto/encoding";
import { MAX_ASSET_BYTES } from "../../contract/email-dto";
import { auditStatement } from "../audit/record";
import { DEFAULT_LOGO_ID, DEFAULT_LOGO_PNG_BASE64 } from "./default-logo";
import type { ActorContext, DomainContext } from "../context";

function sniff(bytes: Uint8Array): string | null {
  const b = (i: number) => bytes[i] ?? -1;
  if (b(0) === 0x89 && b(1) === 0x50 && b(2) === 0x4e && b(3) === 0x47) return "image/png";
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "image/jpeg";
  if (b(0) === 0x47 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x38) return "image/gif";
  if (b(0) === 0x52 && b(1) === 0x49 && b(2) === 0x46 && b(3) === 0x46 && b(8) === 0x57 && b(9) === 0x45 && b(10) === 0x42 && b(11) === 0x50) return "image/webp";
  return null;
}

const toDto = (ctx: DomainContext, r: { id: string; name: string; contentType: string; size: number; createdAt: number }): EmailAsset => ({
  id: r.id,
  name: r.name,
  contentType: r.contentType,
  size: r.size,
  url: assetUrl(ctx.config.PUBLIC_ORIGIN, r.id),
  createdAt: new Date(r.createdAt).toISOString(),
});

export async function uploadAsset(args: { ctx: ActorContext; input: UploadAssetInput }): Promise<EmailAsset> {
  const { ctx } = args;
  const input = UploadAssetInput.parse(args.input);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(input.data);
  } catch {
    throw validationFailed({ data: "The file could not be read." });
  }
  if (bytes.length === 0) throw validationFailed({ data: "The file is empty." });
  if (bytes.length > MAX_ASSET_BYTES) throw validationFailed({ data: "Images can be 512 KB at most." });
  const sniffed = sniff(bytes);
  if (!sniffed) throw validationFailed({ data: "Only PNG, JPEG, GIF and WebP images can be uploaded." });
  const now = ctx.clock.now();
  const row = { id: newId("emailAsset", now), name: input.name.replace(/[^\w .()-]+/g, "_").slice(0, 200), contentType: sniffed, size: bytes.length, data: input.data, createdBy: ctx.principal.userId, createdAt: now };
  await atomically(ctx.db, [
    ctx.db.insert(emailAssets).values(row),
    auditStatement(ctx, { action: "email.asset.upload", orgId: null, targetType: "email_asset", targetId: row.id, after: { name: row.name, contentType: row.contentType, size: row.size } }),
  ]);
  return toDto(ctx, row);
}

export async function listAssets(args: { ctx: ActorContext }): Promise<EmailAsset[]> {
  const rows = await args.ctx.db
    .select({ id: emailAssets.id, name: emailAssets.name, contentType: emailAssets.contentType, size: emailAssets.size, createdAt: emailAssets.createdAt })
    .from(emailAssets)
    .orderBy(desc(emailAssets.createdAt))
    .limit(200);
  return rows.map((r) => toDto(args.ctx, r));
}

export async function getAssetBytes(ctx: Pick<DomainContext, "db">, id: string): Promise<{ contentType: string; bytes: Uint8Array; name: string } | null> {
  if (id === DEFAULT_LOGO_ID) return { contentType: "image/png", bytes: fromBase64(DEFAULT_LOGO_PNG_BASE64), name: "logo.png" };
  const row = await ctx.db.select().from(emailAssets).where(eq(emailAssets.id, id)).get();
  return row ? { contentType: row.contentType, bytes: fromBase64(row.data), name: row.name } : null;
}
