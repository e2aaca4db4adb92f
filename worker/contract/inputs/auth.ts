import { z } from "zod";
import { EmailSchema, LoginPasswordSchema } from "../schemas";

export const LoginInput = z.object({ email: EmailSchema, password: LoginPasswordSchema });
export type LoginInput = z.infer<typeof LoginInput>;
