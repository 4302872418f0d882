// Platform accounts from the command line: `kiunga admin create`, through control-api's one
// account-creation path (identity/users/service.ts), which hashes the password.
import { emailSchema, insertAccount, newPasswordSchema, prepareAccount } from '@kiunga/control-api';
import { insertOf, KiungaError, platformSchema, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';

const adminInput = z.object({ email: emailSchema, password: newPasswordSchema });

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
  const account = await prepareAccount(
    { email, password, displayName: 'Super admin', kind: 'super_admin', tenantId: null },
    nowMs,
  );
  try {
    await platform.transaction(async (transaction) => {
      await insertAccount(transaction, account);
      const audit = insertOf(platformSchema.auditLog, {
        at: nowMs,
        actorId: null,
        action: 'user.create',
        target: account.id,
        detail: 'super_admin via CLI',
      });
      await transaction.run(audit.sql, audit.params);
    });
  } catch (error) {
    if (error instanceof KiungaError && error.code === 'conflict')
      throw new AccountError(`an account with email ${email} already exists`);
    throw error;
  }
  return { id: account.id, email };
}
