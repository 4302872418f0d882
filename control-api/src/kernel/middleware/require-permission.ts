// Authorization middleware: the principal must hold the named permission, or 403.
import { KiungaError } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import type { Permission } from '../../identity/permissions';
import type { AppEnv } from '../dependencies';

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    if (!context.get('principal').permissions.has(permission)) {
      throw new KiungaError('forbidden', `You need the '${permission}' permission to do this.`);
    }
    await next();
  };
}
