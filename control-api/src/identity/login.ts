// Signing in with email + password (+ TOTP when enrolled), shared by the API and the /login form.
import { KiungaError } from '@kiunga/schemas';
import type { Context } from 'hono';
import { recordAuditAs, sourceAddressOf } from '../kernel/audit';
import type { ApiDependencies } from '../kernel/dependencies';
import { identityLimiters, throwRateLimited } from './login-limits';
import { verifyPassword } from './passwords';
import type { Principal } from './permissions';
import { loadUserPrincipal } from './principals';
import { verifyTotpCode } from './totp';

export interface LoginInput {
  email: string;
  password: string;
  totp?: string | undefined;
}

interface LoginRow {
  id: string;
  tenantId: string | null;
  passwordHash: string;
  totpSecretSealed: string | null;
  totpEnabledAt: number | null;
  totpLastStep: number | null;
}

function findLoginRow(dependencies: ApiDependencies, email: string): Promise<LoginRow | undefined> {
  return dependencies.databases.platform.get<LoginRow>(
    `SELECT id, tenant_id AS "tenantId", password_hash AS "passwordHash",
            totp_secret_sealed AS "totpSecretSealed", totp_enabled_at AS "totpEnabledAt",
            totp_last_step AS "totpLastStep"
       FROM users WHERE email = ?`,
    [email],
  );
}

/**
 * The principal for valid credentials. Throws 401 unauthenticated / totp_required / invalid_totp,
 * or 429 rate_limited once the account from this address, the account from everywhere (unless it
 * signed in from this address lately) or this address over all accounts has failed too often.
 */
export async function verifyLogin(
  dependencies: ApiDependencies,
  context: Context,
  input: LoginInput,
): Promise<Principal> {
  const throttle = identityLimiters(dependencies).signIn;
  const address = sourceAddressOf(context, dependencies) ?? 'unknown';
  const email = input.email.trim().toLowerCase();
  const nowMs = dependencies.clock.now();
  const refusal = await throttle.check(email, address, nowMs);
  if (refusal) throwRateLimited(context, refusal);
  const fail = async (row: LoginRow | undefined, error: KiungaError): Promise<never> => {
    await throttle.recordFailure(email, address, nowMs);
    await recordAuditAs(
      dependencies,
      context,
      { id: row?.id ?? null, tenantId: row?.tenantId ?? null },
      {
        action: 'auth.login_failed',
        target: row?.id ?? null,
        detail: { email, reason: error.code },
      },
    );
    throw error;
  };
  const row = await findLoginRow(dependencies, email);
  const isValid = await verifyPassword(row?.passwordHash ?? null, input.password);
  const principal = row && isValid ? await loadUserPrincipal(dependencies.databases.platform, row.id) : null;
  if (!row || !principal) return fail(row, new KiungaError('unauthenticated', 'Wrong email or password.'));
  if (row.totpEnabledAt !== null && row.totpSecretSealed !== null) {
    if (!input.totp) throw new KiungaError('totp_required');
    const secret = dependencies.secretBox.open(row.totpSecretSealed);
    const step = verifyTotpCode(secret, input.totp.trim(), nowMs, row.totpLastStep);
    if (step === null) return fail(row, new KiungaError('invalid_totp'));
    // Taken only if no sign-in took this step (or a later one) meanwhile: a code is good once.
    const taken = await dependencies.databases.platform.run(
      'UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)',
      [step, row.id, step],
    );
    if (taken.changes === 0) return fail(row, new KiungaError('invalid_totp'));
  }
  await throttle.recordSuccess(email, address, nowMs);
  await recordAuditAs(
    dependencies,
    context,
    { id: principal.id, tenantId: principal.tenantId },
    {
      action: 'auth.login',
      target: principal.id,
    },
  );
  return principal;
}
