// Every change is written to the audit log: who, what, when, from where.
import type { Context } from 'hono';
import type { ApiDependencies, AppEnv } from './dependencies';

export interface AuditEntry {
  action: string;
  target?: string | null;
  detail?: unknown;
}

export function sourceAddressOf(context: Context): string | null {
  const incoming = (context.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming;
  return incoming?.socket?.remoteAddress ?? null;
}

export function recordAudit(
  dependencies: ApiDependencies,
  context: Context<AppEnv>,
  entry: AuditEntry,
): void {
  const principal = context.get('principal');
  recordAuditAs(dependencies, context, { id: principal.id, tenantId: principal.tenantId }, entry);
}

/** For events before a principal exists (sign-in, registration): the actor is named explicitly. */
export function recordAuditAs(
  dependencies: ApiDependencies,
  context: Context,
  actor: { id: string | null; tenantId: string | null },
  entry: AuditEntry,
): void {
  dependencies.platform.sqlite
    .prepare(
      `INSERT INTO audit_log (at, actor_id, tenant_id, action, target, detail, source_address)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      dependencies.clock.now(),
      actor.id,
      actor.tenantId,
      entry.action,
      entry.target ?? null,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
      sourceAddressOf(context),
    );
}
