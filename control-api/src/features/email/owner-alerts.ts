// Alerts to an ISP's owner by email (issue 14), beside the console banner and the Tier 2 SMS: a router
// down or back, the platform account's state changing. Queued in the platform's mail outbox (never sent
// inline), and only when email is on; the owner reads the console in English, so the mail is English.
import type { SqlDatabase } from '@kiunga/schemas';
import { ownerAlertMessage } from '../../integrations/email/messages';
import type { ApiDependencies } from '../../kernel/dependencies';
import { queueEmail } from './outbox';

/** The ISP owner's sign-in email (the oldest active owner when there are several), or null. */
export async function ownerEmailOf(platform: SqlDatabase, tenantId: string): Promise<string | null> {
  const row = await platform.get<{ email: string }>(
    `SELECT email FROM users WHERE tenant_id = ? AND kind = 'isp_owner' AND status = 'active'
      ORDER BY created_at LIMIT 1`,
    [tenantId],
  );
  return row?.email ?? null;
}

export interface OwnerAlert {
  /** What happened, in a few words: "Router Kibera hill is down". */
  readonly title: string;
  readonly lines: readonly string[];
  /** A path of the ISP console ("/isp/nas"), linked from the mail. */
  readonly consolePath?: string;
}

/**
 * Queues the alert to the ISP's owner; false when email is off or the ISP has no active owner. `platform`
 * may be a transaction of the platform database, so the mail goes out only if the change commits.
 */
export async function queueOwnerAlert(
  dependencies: Pick<ApiDependencies, 'email' | 'secretBox' | 'publicUrl'>,
  platform: SqlDatabase,
  tenantId: string,
  alert: OwnerAlert,
  nowMs: number,
): Promise<boolean> {
  if (!dependencies.email) return false;
  const to = await ownerEmailOf(platform, tenantId);
  if (to === null) return false;
  const tenant = await platform.get<{ name: string }>('SELECT name FROM tenants WHERE id = ?', [tenantId]);
  const message = ownerAlertMessage({
    to,
    ispName: tenant?.name ?? 'Kiunga',
    title: alert.title,
    lines: alert.lines,
    ...(alert.consolePath === undefined
      ? {}
      : { consoleUrl: new URL(alert.consolePath, dependencies.publicUrl).toString() }),
  });
  await queueEmail(platform, dependencies.secretBox, 'owner_alert', message, nowMs);
  return true;
}
