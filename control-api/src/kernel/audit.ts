// Every change is written to the audit log: who, what, when, from where.
import type { Context } from 'hono';
import { clientAddressOf } from '../identity/client-address';
import type { ApiDependencies, AppEnv } from './dependencies';

export interface AuditEntry {
  action: string;
  target?: string | null;
  detail?: unknown;
}

interface NodeIncoming {
  socket?: { remoteAddress?: string };
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * Where the request came from (identity/client-address.ts): read from the Node request itself, so
 * the consoles' in-process API calls, which carry it along, see the same address.
 */
export function sourceAddressOf(
  context: Context,
  dependencies: Pick<ApiDependencies, 'trustedProxies'> = {},
): string | null {
  const incoming = (context.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  const forwardedFor = incoming?.headers?.['x-forwarded-for'];
  return clientAddressOf(
    incoming?.socket?.remoteAddress ?? null,
    Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor,
    dependencies.trustedProxies ?? NO_TRUSTED_PROXIES,
  );
}

const NO_TRUSTED_PROXIES: ReadonlySet<string> = new Set();

export async function recordAudit(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  entry: AuditEntry,
): Promise<void> {
  const principal = context.get('principal');
  await recordAuditAs(dependencies, context, { id: principal.id, tenantId: principal.tenantId }, entry);
}

/**
 * Records an entry as the acting principal of one request, from its address: what a handler hands a
 * service, so the service audits its own changes without reading the request.
 */
export type Auditor = (entry: AuditEntry) => Promise<void>;

export function auditorOf(dependencies: ApiDependencies, context: Context<AppEnv>): Auditor {
  return (entry) => recordAudit(dependencies, context, entry);
}

/** For events before a principal exists (sign-in, registration): the actor is named explicitly. */
export async function recordAuditAs(
  dependencies: ApiDependencies,
  context: Context,
  actor: { id: string | null; tenantId: string | null },
  entry: AuditEntry,
): Promise<void> {
  await dependencies.databases.platform.run(
    `INSERT INTO audit_log (at, actor_id, tenant_id, action, target, detail, source_address)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [
      dependencies.clock.now(),
      actor.id,
      actor.tenantId,
      entry.action,
      entry.target ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
      sourceAddressOf(context, dependencies),
    ],
  );
}
