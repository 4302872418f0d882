// A restricted ISP's console is read-only: writes through the API (and so the consoles, which act through
// it) are refused with 402 platform_payment_required. Paying stays open, and RADIUS never asks this.
import { formatKsh, KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import { isSafeMethod } from '../identity/console-sessions';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { balanceCents } from './ledger';
import { liveAccountStatus } from './state';

/** Paths a restricted ISP may still write to: paying the platform, and asking its support (issue 14). */
const ALWAYS_WRITABLE_PREFIXES = ['/api/v1/platform-billing', '/api/v1/support/'];

export function requirePlatformAccountWritable(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    const isExempt =
      tenantId === null ||
      isSafeMethod(context.req.method) ||
      ALWAYS_WRITABLE_PREFIXES.some((prefix) => context.req.path.startsWith(prefix));
    if (!isExempt) {
      const status = await liveAccountStatus(dependencies, tenantId, dependencies.clock.now());
      if (status?.consoleAccess === 'read_only') {
        const owed = formatKsh(Math.max(await balanceCents(dependencies.databases.platform, tenantId), 0));
        throw new KiungaError(
          'platform_payment_required',
          `Your Kiunga subscription is unpaid: pay ${owed} to make changes again. Your clients keep their service.`,
          undefined,
          { clientService: 'unaffected', payAt: '/api/v1/platform-billing' },
        );
      }
    }
    await next();
  };
}
