import { users } from "../db/schema";

/**
 * A person's account as every screen that lists people reads it (sign-in, Staff, an organization's users); each
 * reader adds what only it needs (the password hash at sign-in, privileges for Staff, phone for Organizations).
 */
export const personColumns = {
  id: users.id,
  email: users.email,
  firstName: users.firstName,
  lastName: users.lastName,
  role: users.role,
  status: users.status,
  lastLoginAt: users.lastLoginAt,
} as const;
