// Platform accounts from the command line: `kiunga admin create`.
import { newId, type PlatformDatabase, platformSchema } from '@kiunga/schemas';
import argon2 from 'argon2';
import { eq } from 'drizzle-orm';
import { z } from 'zod';

export const PASSWORD_LENGTH_MIN = 8;

const adminInput = z.object({
  email: z
    .string()
    .email()
    .transform((email) => email.toLowerCase()),
  password: z
    .string()
    .min(PASSWORD_LENGTH_MIN, `password must be at least ${PASSWORD_LENGTH_MIN} characters`),
});

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export class AccountError extends Error {}

export async function createSuperAdmin(
  platform: PlatformDatabase,
  input: { email: string; password: string },
  nowMs: number,
): Promise<{ id: string; email: string }> {
  const parsed = adminInput.safeParse(input);
  if (!parsed.success) {
    throw new AccountError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  const { email, password } = parsed.data;
  const existing = platform.orm
    .select({ id: platformSchema.users.id })
    .from(platformSchema.users)
    .where(eq(platformSchema.users.email, email))
    .get();
  if (existing) throw new AccountError(`an account with email ${email} already exists`);
  const id = newId('user');
  platform.orm
    .insert(platformSchema.users)
    .values({
      id,
      email,
      passwordHash: await hashPassword(password),
      displayName: 'Super admin',
      kind: 'super_admin',
      tenantId: null,
      createdAt: nowMs,
      updatedAt: nowMs,
    })
    .run();
  platform.orm
    .insert(platformSchema.auditLog)
    .values({ at: nowMs, actorId: null, action: 'user.create', target: id, detail: 'super_admin via CLI' })
    .run();
  return { id, email };
}
