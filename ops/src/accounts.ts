// Platform accounts from the command line: `kiunga admin create`.
import { insertOf, newId, platformSchema, type SqlDatabase } from '@kiunga/schemas';
import argon2 from 'argon2';
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
  platform: SqlDatabase,
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
  const passwordHash = await hashPassword(password);
  const id = newId('user');
  await platform.transaction(async (transaction) => {
    if (await transaction.get('SELECT 1 AS found FROM users WHERE email = ?', [email]))
      throw new AccountError(`an account with email ${email} already exists`);
    const user = insertOf(platformSchema.users, {
      id,
      email,
      passwordHash,
      displayName: 'Super admin',
      kind: 'super_admin',
      tenantId: null,
      createdAt: nowMs,
      updatedAt: nowMs,
    });
    await transaction.run(user.sql, user.params);
    const audit = insertOf(platformSchema.auditLog, {
      at: nowMs,
      actorId: null,
      action: 'user.create',
      target: id,
      detail: 'super_admin via CLI',
    });
    await transaction.run(audit.sql, audit.params);
  });
  return { id, email };
}
