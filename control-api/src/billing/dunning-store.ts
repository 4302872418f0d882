// Dunning against the shard: which subscribers to look at, what the pure policy says is due, and
// carrying out an action once (its key is the primary key of dunning_actions) with its outbox row.
import { formatKsh, KiungaError, type TenantShard } from '@kiunga/schemas';
import { LedgerAccount } from './accounts';
import { formatLocalDate, localDateOf } from './calendar';
import { type DunningAction, dunningActions, dunningInvoicesOf } from './dunning';
import { type BillingSettings, dunningPolicyOf } from './settings';
import { accountStanding } from './standing';
import { loadSubscriberLedger } from './store';

/** Subscribers dunning may act on: an unpaid invoice, or suspended by billing (may reactivate). */
export function dunningCandidates(shard: TenantShard): string[] {
  return shard
    .statement(
      `SELECT subscriber_id FROM invoices WHERE status IN ('open', 'partially_paid')
       UNION SELECT subscriber_id FROM billing_subscribers WHERE suspended_by_key IS NOT NULL`,
    )
    .pluck()
    .all() as string[];
}

interface AccountRow {
  status: string;
  phone: string | null;
  accountNumber: string;
  suspendedByKey: string | null;
}

function accountOf(shard: TenantShard, subscriberId: string): AccountRow | undefined {
  return shard
    .statement(
      `SELECT s.status, s.phone, s.account_number AS accountNumber, b.suspended_by_key AS suspendedByKey
         FROM subscribers s LEFT JOIN billing_subscribers b ON b.subscriber_id = s.id WHERE s.id = ?`,
    )
    .get(subscriberId) as AccountRow | undefined;
}

/** What the policy says is due for one subscriber now, minus what was already done. */
export function planSubscriberDunning(
  shard: TenantShard,
  subscriberId: string,
  settings: BillingSettings,
  nowMs: number,
): DunningAction[] {
  const account = accountOf(shard, subscriberId);
  if (!account) return [];
  const standing = accountStanding(
    loadSubscriberLedger(shard, subscriberId),
    LedgerAccount.subscriber(subscriberId),
  );
  const dueRows = shard
    .statement('SELECT id, due_at AS dueAtMs FROM invoices WHERE subscriber_id = ?')
    .all(subscriberId) as Array<{ id: string; dueAtMs: number }>;
  const unpaid = dunningInvoicesOf(standing, new Map(dueRows.map((row) => [row.id, row.dueAtMs])));
  const done = new Set(
    shard
      .statement('SELECT key FROM dunning_actions WHERE subscriber_id = ?')
      .pluck()
      .all(subscriberId) as string[],
  );
  // Billing treats anything but a suspension as active: an `expired` account still gets reminders.
  const status = account.status === 'suspended' ? 'suspended' : 'active';
  return dunningActions(
    { subscriberId, status, suspendedByKey: account.suspendedByKey },
    unpaid,
    dunningPolicyOf(settings),
    nowMs,
    done,
  );
}

/**
 * Carries out one action in one transaction; false when its key was already done (another run
 * or node got there first). Suspension and reactivation change subscribers.status; the caller
 * then tells the NAS (Disconnect-Request) outside the transaction.
 */
export function applyDunningAction(shard: TenantShard, action: DunningAction, nowMs: number): boolean {
  return shard.sqlite
    .transaction((): boolean => {
      const inserted = shard
        .statement(
          `INSERT OR IGNORE INTO dunning_actions (key, subscriber_id, action, invoice_id, done_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(action.key, action.subscriberId, action.action, action.invoiceId, nowMs);
      if (inserted.changes === 0) return false;
      const account = accountOf(shard, action.subscriberId);
      if (!account) throw new KiungaError('not_found', 'No such subscriber.');
      if (action.action === 'suspend') {
        shard
          .statement(`UPDATE subscribers SET status = 'suspended', updated_at = ? WHERE id = ?`)
          .run(nowMs, action.subscriberId);
        setSuspendedByKey(shard, action.subscriberId, action.key, nowMs);
      }
      if (action.action === 'reactivate') {
        // Only a billing suspension is lifted here; staff suspensions stay.
        shard
          .statement(
            `UPDATE subscribers SET status = 'active', updated_at = ? WHERE id = ? AND status = 'suspended'`,
          )
          .run(nowMs, action.subscriberId);
        setSuspendedByKey(shard, action.subscriberId, null, nowMs);
      }
      queueNotification(shard, action, account, nowMs);
      return true;
    })
    .immediate();
}

function setSuspendedByKey(
  shard: TenantShard,
  subscriberId: string,
  key: string | null,
  nowMs: number,
): void {
  shard
    .statement(
      `INSERT INTO billing_subscribers (subscriber_id, suspended_by_key, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(subscriber_id) DO UPDATE SET suspended_by_key = excluded.suspended_by_key,
                                                updated_at = excluded.updated_at`,
    )
    .run(subscriberId, key, nowMs);
}

const notificationKinds = {
  remind: 'payment_reminder',
  suspend: 'suspension',
  reactivate: 'reactivation',
} as const;

function queueNotification(
  shard: TenantShard,
  action: DunningAction,
  account: AccountRow,
  nowMs: number,
): void {
  shard
    .statement(
      `INSERT OR IGNORE INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
       VALUES (?, 'sms', ?, ?, ?, ?, 'pending', ?)`,
    )
    .run(
      action.key,
      notificationKinds[action.action],
      action.subscriberId,
      account.phone,
      notificationBody(shard, action, account),
      nowMs,
    );
}

function notificationBody(shard: TenantShard, action: DunningAction, account: AccountRow): string {
  if (action.action === 'reactivate') return 'Payment received, thank you. Your internet service is back on.';
  const invoice = shard
    .statement('SELECT number, due_at AS dueAtMs, total_cents AS totalCents FROM invoices WHERE id = ?')
    .get(action.invoiceId) as { number: string; dueAtMs: number; totalCents: number } | undefined;
  const reference = `Pay with M-Pesa, account number ${account.accountNumber}.`;
  if (!invoice) return reference;
  const amount = formatKsh(invoice.totalCents, { fixed: true });
  const due = formatLocalDate(localDateOf(invoice.dueAtMs));
  if (action.action === 'suspend') {
    return `Your internet service is suspended: invoice ${invoice.number} (${amount}) was due ${due}. ${reference}`;
  }
  return `Reminder: invoice ${invoice.number} for ${amount} is due ${due}. ${reference}`;
}
