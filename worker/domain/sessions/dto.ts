import type { SessionDto } from "../../contract/dto";
import type { Principal } from "../context";

export function toSessionDto(p: Principal, expiresAt: number): SessionDto {
  return {
    user: {
      id: p.userId,
      email: p.email,
      firstName: p.firstName,
      lastName: p.lastName,
      role: p.role,
      privileges: p.role === "cloud_admin" ? [] : p.privileges,
      org: { id: p.orgId, name: p.orgName, kind: p.orgKind },
    },
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
