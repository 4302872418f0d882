// Dunning against the tenant's database: which subscribers to look at, what the pure policy says is due, and
// carrying out an action once (its key is the primary key of dunning_actions) with its outbox row.
import { formatKsh, KiungaError, readTenantRadiusSettings, type SqlDatabase } from '@kiunga/schemas';
import { recordSubscriberReactivated, recordSubscriberSuspended } from '../features/webhooks/emitters';
import { isLanguage, type Language, t } from '../i18n';
import { LedgerAccount } from '../ledger/accounts';
import { formatLocalDate, localDateOf } from './core/calendar';
import { type DunningAction, dunningActions, dunningInvoicesOf } from './core/dunning';
import { accountStanding } from './core/standing';
import { type BillingSettings, dunningPolicyOf } from './settings';
import { loadSubscriberLedger } from './store';

/** Subscribers dunning may act on: an unpaid invoice, or suspended by billing (may reactivate). */
export function dunningCandidates(database: SqlDatabase): Promise<string[]> {
  // Sorted: SQLite's UNION happened to return them in this order; PostgreSQL's promises none.
  return database.column<string>(
    `SELECT subscriber_id FROM invoices WHERE status IN ('open', 'partially_paid')
     UNION SELECT subscriber_id FROM billing_subscribers WHERE suspended_by_key IS NOT NULL
     ORDER BY subscriber_id`,
  );
}

interface AccountRow {
  status: string;
  phone: string | null;
  accountNumber: string;
  suspendedByKey: string | null;
  /** The subscriber's choice on the customer portal; null: the ISP's default. */
  language: string | null;
}

function accountOf(database: SqlDatabase, subscriberId: string): Promise<AccountRow | undefined> {
  return database.get<AccountRow>(
    `SELECT s.status, s.phone, s.account_number AS "accountNumber", b.suspended_by_key AS "suspendedByKey",
            s.language
       FROM subscribers s LEFT JOIN billing_subscribers b ON b.subscriber_id = s.id WHERE s.id = ?`,
    [subscriberId],
  );
}

/** What the policy says is due for one subscriber now, minus what was already done. */
export async function planSubscriberDunning(
  database: SqlDatabase,
  subscriberId: string,
  settings: BillingSettings,
  nowMs: number,
): Promise<DunningAction[]> {
  const account = await accountOf(database, subscriberId);
  if (!account) return [];
  const standing = accountStanding(
    await loadSubscriberLedger(database, subscriberId),
    LedgerAccount.subscriber(subscriberId),
  );
  const dueRows = await database.all<{ id: string; dueAtMs: number }>(
    'SELECT id, due_at AS "dueAtMs" FROM invoices WHERE subscriber_id = ?',
    [subscriberId],
  );
  const unpaid = dunningInvoicesOf(standing, new Map(dueRows.map((row) => [row.id, row.dueAtMs])));
  const done = new Set(
    await database.column<string>('SELECT key FROM dunning_actions WHERE subscriber_id = ?', [subscriberId]),
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
export function applyDunningAction(
  database: SqlDatabase,
  action: DunningAction,
  nowMs: number,
): Promise<boolean> {
  return database.transaction(async (transaction): Promise<boolean> => {
    const inserted = await transaction.run(
      `INSERT INTO dunning_actions (key, subscriber_id, action, invoice_id, done_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [action.key, action.subscriberId, action.action, action.invoiceId, nowMs],
    );
    if (inserted.changes === 0) return false;
    const account = await accountOf(transaction, action.subscriberId);
    if (!account) throw new KiungaError('not_found', 'No such subscriber.');
    if (action.action === 'suspend') {
      await transaction.run(`UPDATE subscribers SET status = 'suspended', updated_at = ? WHERE id = ?`, [
        nowMs,
        action.subscriberId,
      ]);
      await setSuspendedByKey(transaction, action.subscriberId, action.key, nowMs);
      await recordSubscriberSuspended(transaction, action.subscriberId, 'unpaid', nowMs);
    }
    if (action.action === 'reactivate') {
      // Only a billing suspension is lifted here; staff suspensions stay.
      const lifted = await transaction.run(
        `UPDATE subscribers SET status = 'active', updated_at = ? WHERE id = ? AND status = 'suspended'`,
        [nowMs, action.subscriberId],
      );
      if (lifted.changes === 1) await recordSubscriberReactivated(transaction, action.subscriberId, nowMs);
      await setSuspendedByKey(transaction, action.subscriberId, null, nowMs);
    }
    await queueNotification(transaction, action, account, nowMs);
    return true;
  });
}

async function setSuspendedByKey(
  database: SqlDatabase,
  subscriberId: string,
  key: string | null,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO billing_subscribers (subscriber_id, suspended_by_key, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (subscriber_id) DO UPDATE SET suspended_by_key = excluded.suspended_by_key,
                                               updated_at = excluded.updated_at`,
    [subscriberId, key, nowMs],
  );
}

const notificationKinds = {
  remind: 'payment_reminder',
  suspend: 'suspension',
  reactivate: 'reactivation',
} as const;

async function queueNotification(
  database: SqlDatabase,
  action: DunningAction,
  account: AccountRow,
  nowMs: number,
): Promise<void> {
  await database.run(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', ?, ?, ?, ?, 'pending', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [
      action.key,
      notificationKinds[action.action],
      action.subscriberId,
      account.phone,
      await notificationBody(database, action, account, await smsLanguageOf(database, account)),
      nowMs,
    ],
  );
}

/** The subscriber's own language (chosen on the customer portal), else the ISP's default (issue 14). */
async function smsLanguageOf(database: SqlDatabase, account: AccountRow): Promise<Language> {
  if (isLanguage(account.language)) return account.language;
  return (await readTenantRadiusSettings(database)).clientLanguage;
}

export async function notificationBody(
  database: SqlDatabase,
  action: DunningAction,
  account: Pick<AccountRow, 'accountNumber'>,
  language: Language,
): Promise<string> {
  if (action.action === 'reactivate') return t(language, 'sms.reactivated');
  const invoice = await database.get<{ number: string; dueAtMs: number; totalCents: number }>(
    'SELECT number, due_at AS "dueAtMs", total_cents AS "totalCents" FROM invoices WHERE id = ?',
    [action.invoiceId],
  );
  const reference = t(language, 'sms.payReference', { account: account.accountNumber });
  if (!invoice) return reference;
  const amount = formatKsh(invoice.totalCents, { fixed: true });
  const due = formatLocalDate(localDateOf(invoice.dueAtMs));
  if (action.action === 'suspend') {
    return t(language, 'sms.suspended', { number: invoice.number, amount, due, reference });
  }
  return t(language, 'sms.reminder', { number: invoice.number, amount, due, reference });
}
