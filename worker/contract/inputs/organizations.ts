import { z } from "zod";
import { PageQuerySchema } from "../schemas";

export const ListOrganizationsInput = PageQuerySchema.extend({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(["customer", "reseller"]).optional(),
});
export type ListOrganizationsInput = z.infer<typeof ListOrganizationsInput>;

export const OrgIdParam = z.object({ id: z.string().min(1).max(64) });

export const SetPrimaryContactInput = z.object({ userId: z.string({ error: "Choose a user." }).min(1, "Choose a user.").max(64) });
export type SetPrimaryContactInput = z.infer<typeof SetPrimaryContactInput>;
