// The billing store: reads a tenant's rows into the pure core's inputs and writes its outputs back in
// one transaction (per tenant run, per subscriber change). Every balance change is a row in
// ledger_entries, posted through the one ledger (ledger/ledger.ts) in the same transaction; invoices.status and
// subscribers.expires_at are caches re-derived from the ledger after each change.
import { type Cents, cents, type SqlDatabase } from '@kiunga/schemas';
import { readTrialSettings } from '../features/trials/store';
import { recordInvoiceCreated } from '../features/webhooks/emitters';
import { LedgerAccount, loadAccountTransfers, postTransfers, type Transfer } from '../ledger/ledger';
import { wholeDaysBetween } from './core/calendar';
import type { Cycle, CycleRule } from './core/cycles';
import { serviceEndsAtMs } from './core/expiry';
import { type InvoiceRunSubscriber, runInvoiceJob } from './core/invoice-run';
import type { Invoice } from './core/invoices';
import type { BillingPlan, InvoiceLine } from './core/lines';
import { proratePlanChange } from './core/proration';
import { type AccountStanding, accountStanding, type InvoiceStatus } from './core/standing';
import { postInvoice, subscriberAccounts } from './core/transfers';
import { billingStartMs } from './core/trials';
import { type InvoiceUnitCents, invoiceUnitCents, roundToUnit } from './core/units';
import { type BillingSettings, dunningPolicyOf, numberFormatOf, readBillingSettings } from './settings';
import { addUsageLines, type BilledPeriod, type UsagePricedPlan } from './usage-lines';

const INVOICE_SEQUENCE = 'invoice_sequence';

/** Every transfer touching the subscriber's account, in ledger order (the order standing replays). */
export function loadSubscriberLedger(database: SqlDatabase, subscriberId: string): Promise<Transfer[]> {
  return loadAccountTransfers(database, LedgerAccount.subscriber(subscriberId));
}

export interface PlanRow extends UsagePricedPlan {
  priceCents: number;
  cycleMonths: number | null;
}

/**
 * A plan's price is for its own billing_cycle_months; a cycle of another length pays pro rata. The
 * result is in the ISP's invoice unit, to the nearest unit: a plan priced with cents is billed to
 * the nearest shilling by an ISP that invoices whole shillings.
 */
export function cyclePriceCents(
  plan: Pick<PlanRow, 'priceCents' | 'cycleMonths'>,
  cycleLengthMonths: number,
  unitCents: InvoiceUnitCents,
): Cents {
  const planMonths = plan.cycleMonths ?? 1;
  return roundToUnit(plan.priceCents * cycleLengthMonths, planMonths, unitCents);
}

function billingPlanOf(plan: PlanRow, cycleLengthMonths: number, settings: BillingSettings): BillingPlan {
  const unitCents = invoiceUnitCents(settings.wholeShillings);
  return {
    id: plan.id,
    name: plan.name,
    cyclePriceCents: cyclePriceCents(plan, cycleLengthMonths, unitCents),
    unitCents,
  };
}

async function loadPlans(database: SqlDatabase): Promise<Map<string, PlanRow>> {
  const rows = await database.all<PlanRow>(
    `SELECT id, name, price_cents AS "priceCents", billing_cycle_months AS "cycleMonths",
            included_bytes AS "includedBytes", price_per_gigabyte_cents AS "pricePerGigabyteCents"
       FROM plans WHERE kind != 'hotspot'`,
  );
  return new Map(rows.map((row) => [row.id, row]));
}

interface TermsRow {
  cycleLengthMonths: number | null;
  cycleAnchorDay: string | null;
}

export function cycleOverrideOf(row: TermsRow | undefined): CycleRule | null {
  if (!row || row.cycleLengthMonths === null || row.cycleAnchorDay === null) return null;
  const anchorDay = row.cycleAnchorDay === 'signup_day' ? 'signup_day' : Number(row.cycleAnchorDay);
  return { lengthMonths: row.cycleLengthMonths, anchorDay };
}

interface BillableRow extends TermsRow {
  id: string;
  accountNumber: string;
  planId: string;
  createdAt: number;
  serviceStartAt: number | null;
  lastInvoicedEnd: number | null;
  lastInvoicedStart: number | null;
  trialEndsAt: number | null;
}

function loadBillableSubscribers(database: SqlDatabase): Promise<BillableRow[]> {
  // The run numbers invoices in this order: oldest account first (as SQLite's table order had it),
  // stated so that both databases number the same way.
  return database.all<BillableRow>(
    `SELECT s.id, s.account_number AS "accountNumber", s.plan_id AS "planId", s.created_at AS "createdAt",
            b.service_start_at AS "serviceStartAt", b.cycle_length_months AS "cycleLengthMonths",
            b.cycle_anchor_day AS "cycleAnchorDay", b.trial_ends_at AS "trialEndsAt",
            (SELECT MAX(i.period_end) FROM invoices i WHERE i.subscriber_id = s.id) AS "lastInvoicedEnd",
            (SELECT MAX(i.period_start) FROM invoices i WHERE i.subscriber_id = s.id) AS "lastInvoicedStart"
       FROM subscribers s LEFT JOIN billing_subscribers b ON b.subscriber_id = s.id
      ORDER BY s.created_at, s.id`,
  );
}

async function loadPendingLines(
  database: SqlDatabase,
): Promise<Map<string, { maxId: number; lines: InvoiceLine[] }>> {
  const rows = await database.all<{ id: number; subscriberId: string; line: string }>(
    'SELECT id, subscriber_id AS "subscriberId", line FROM billing_pending_lines WHERE invoice_id IS NULL ORDER BY id',
  );
  const bySubscriber = new Map<string, { maxId: number; lines: InvoiceLine[] }>();
  for (const row of rows) {
    const entry = bySubscriber.get(row.subscriberId) ?? { maxId: 0, lines: [] };
    entry.maxId = row.id;
    entry.lines.push(JSON.parse(row.line) as InvoiceLine);
    bySubscriber.set(row.subscriberId, entry);
  }
  return bySubscriber;
}

async function nextInvoiceSequence(database: SqlDatabase): Promise<number> {
  const row = await database.get<{ value: number }>('SELECT value FROM billing_counters WHERE name = ?', [
    INVOICE_SEQUENCE,
  ]);
  return row?.value ?? 1;
}

export interface InvoiceRunReport {
  invoices: number;
  transfers: number;
  skipped: number;
}

/**
 * One ISP's invoice run: every subscriber gets the cycles it is owed at `nowMs` (catching up
 * after downtime), in one transaction so two runs (or two nodes) cannot both bill: SQLite's is
 * immediate (one writer), PostgreSQL's serializable (retried on a conflict with another node's run).
 */
export function runTenantInvoices(
  database: SqlDatabase,
  tenantId: string,
  nowMs: number,
): Promise<InvoiceRunReport> {
  return database.transaction(
    async (transaction): Promise<InvoiceRunReport> => {
      const settings = await readBillingSettings(transaction);
      const plans = await loadPlans(transaction);
      const pending = await loadPendingLines(transaction);
      const trials = await readTrialSettings(transaction);
      const plansByKey = new Map<string, BillingPlan>();
      const subscribers: InvoiceRunSubscriber[] = [];
      const lastBilledPeriods = new Map<string, BilledPeriod>();
      const plansBySubscriber = new Map<string, UsagePricedPlan>();
      for (const row of await loadBillableSubscribers(transaction)) {
        // A PPPoE trial (issue 13): billed from its end, or never when the ISP lets trials expire.
        const serviceStartMs = billingStartMs(
          row.serviceStartAt ?? row.createdAt,
          row.trialEndsAt === null ? null : Number(row.trialEndsAt),
          trials.endAction,
        );
        if (serviceStartMs === null) continue;
        const cycleOverride = cycleOverrideOf(row);
        const lengthMonths = (cycleOverride ?? settings.cycle).lengthMonths;
        const planKey = `${row.planId}@${lengthMonths}`;
        const plan = plans.get(row.planId);
        if (plan && !plansByKey.has(planKey))
          plansByKey.set(planKey, billingPlanOf(plan, lengthMonths, settings));
        if (plan) plansBySubscriber.set(row.id, plan);
        if (row.lastInvoicedStart !== null && row.lastInvoicedEnd !== null)
          lastBilledPeriods.set(row.id, { startMs: row.lastInvoicedStart, endMs: row.lastInvoicedEnd });
        subscribers.push({
          id: row.id,
          tenantId,
          accountNumber: row.accountNumber,
          serviceStartMs,
          planId: planKey,
          cycleOverride,
          lastInvoicedCycleEndMs: row.lastInvoicedEnd,
          pendingLines: pending.get(row.id)?.lines ?? [],
        });
      }
      const result = runInvoiceJob(
        {
          tenantId,
          cycleRule: settings.cycle,
          terms: { dueDays: settings.dueDays },
          numberFormat: numberFormatOf(settings),
          nextSequence: await nextInvoiceSequence(transaction),
        },
        subscribers,
        plansByKey,
        nowMs,
      );
      const invoices = await addUsageLines(
        transaction,
        result.invoices,
        lastBilledPeriods,
        plansBySubscriber,
        invoiceUnitCents(settings.wholeShillings),
        nowMs,
      );
      let transfers = 0;
      const billed = new Set<string>();
      for (const invoice of invoices) {
        await insertInvoice(transaction, invoice, nowMs);
        transfers += await postTransfers(
          transaction,
          postInvoice(invoice, subscriberAccounts(invoice.subscriberId), nowMs),
        );
        const lines = pending.get(invoice.subscriberId);
        if (lines && !billed.has(invoice.subscriberId)) {
          await transaction.run(
            `UPDATE billing_pending_lines SET invoice_id = ?
              WHERE subscriber_id = ? AND invoice_id IS NULL AND id <= ?`,
            [invoice.id, invoice.subscriberId, lines.maxId],
          );
        }
        billed.add(invoice.subscriberId);
      }
      await transaction.run(
        `INSERT INTO billing_counters (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [INVOICE_SEQUENCE, result.nextSequence],
      );
      for (const subscriberId of billed) {
        await refreshSubscriberBilling(transaction, subscriberId, settings, nowMs);
      }
      return { invoices: result.invoices.length, transfers, skipped: result.skipped.length };
    },
    { isolation: 'serializable' },
  );
}

async function insertInvoice(database: SqlDatabase, invoice: Invoice, nowMs: number): Promise<void> {
  await database.run(
    `INSERT INTO invoices (id, number, subscriber_id, account_number, cycle_key, idempotency_key, period_start,
                           period_end, issued_at, due_at, total_cents, status, lines)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
    [
      invoice.id,
      invoice.number,
      invoice.subscriberId,
      invoice.accountNumber,
      invoice.cycleKey,
      invoice.idempotencyKey,
      invoice.periodStartMs,
      invoice.periodEndMs,
      nowMs,
      invoice.dueAtMs,
      invoice.totalCents,
      JSON.stringify(invoice.lines),
    ],
  );
  await recordInvoiceCreated(database, invoice, nowMs);
}

interface InvoiceDatesRow {
  id: string;
  status: string;
  periodEndMs: number;
  dueAtMs: number;
}

/**
 * Re-derives the subscriber's invoice statuses and service end from the ledger; call inside the
 * transaction that changed the ledger. Returns the standing it derived.
 */
export async function refreshSubscriberBilling(
  database: SqlDatabase,
  subscriberId: string,
  settings: BillingSettings,
  nowMs: number,
): Promise<AccountStanding> {
  const standing = accountStanding(
    await loadSubscriberLedger(database, subscriberId),
    LedgerAccount.subscriber(subscriberId),
  );
  const byId = new Map(standing.invoices.map((invoice) => [invoice.invoiceId, invoice]));
  const rows = await database.all<InvoiceDatesRow>(
    `SELECT id, status, period_end AS "periodEndMs", due_at AS "dueAtMs" FROM invoices WHERE subscriber_id = ?`,
    [subscriberId],
  );
  const expiryInvoices = [];
  for (const row of rows) {
    // An invoice that moved no money (a free plan) is settled by definition.
    const derived = byId.get(row.id);
    const status: InvoiceStatus = derived?.status ?? 'paid';
    if (status !== row.status) {
      await database.run('UPDATE invoices SET status = ? WHERE id = ?', [status, row.id]);
    }
    expiryInvoices.push({ ...row, status, outstandingCents: derived?.outstandingCents ?? cents(0) });
  }
  const endsAtMs = serviceEndsAtMs(expiryInvoices, settings.dueDays, dunningPolicyOf(settings));
  if (endsAtMs !== undefined) {
    await database.run(
      'UPDATE subscribers SET expires_at = ?, updated_at = ? WHERE id = ? AND expires_at IS DISTINCT FROM ?',
      [endsAtMs, nowMs, subscriberId, endsAtMs],
    );
  }
  return standing;
}

/** refreshSubscriberBilling with the ISP's billing settings as stored now. */
export async function refreshSubscriberAccount(
  database: SqlDatabase,
  subscriberId: string,
  nowMs: number,
): Promise<AccountStanding> {
  return refreshSubscriberBilling(database, subscriberId, await readBillingSettings(database), nowMs);
}

/**
 * Plan change on the day of `nowMs`: when the current cycle is already invoiced, the old plan's
 * unused days are credited and the new plan's remaining days charged on the next invoice.
 * Before the cycle is invoiced nothing is owed: the next invoice bills the new plan whole.
 */
export async function recordPlanChange(
  database: SqlDatabase,
  change: { subscriberId: string; oldPlanId: string; newPlanId: string },
  nowMs: number,
): Promise<number> {
  if (change.oldPlanId === change.newPlanId) return 0;
  const last = await database.get<{ startMs: number; endMs: number; key: string }>(
    `SELECT period_start AS "startMs", period_end AS "endMs", cycle_key AS key FROM invoices
      WHERE subscriber_id = ? ORDER BY period_end DESC LIMIT 1`,
    [change.subscriberId],
  );
  if (!last || nowMs < last.startMs || nowMs >= last.endMs) return 0;
  const plans = await loadPlans(database);
  const oldPlan = plans.get(change.oldPlanId);
  const newPlan = plans.get(change.newPlanId);
  if (!oldPlan || !newPlan) return 0;
  const terms = await database.get<TermsRow>(
    `SELECT cycle_length_months AS "cycleLengthMonths", cycle_anchor_day AS "cycleAnchorDay"
       FROM billing_subscribers WHERE subscriber_id = ?`,
    [change.subscriberId],
  );
  const settings = await readBillingSettings(database);
  const lengthMonths = (cycleOverrideOf(terms) ?? settings.cycle).lengthMonths;
  const cycle: Cycle = { ...last, days: wholeDaysBetween(last.startMs, last.endMs) };
  const lines = proratePlanChange(
    billingPlanOf(oldPlan, lengthMonths, settings),
    billingPlanOf(newPlan, lengthMonths, settings),
    cycle,
    nowMs,
  );
  for (const line of lines) {
    await database.run(
      'INSERT INTO billing_pending_lines (subscriber_id, line, created_at) VALUES (?, ?, ?)',
      [change.subscriberId, JSON.stringify(line), nowMs],
    );
  }
  return lines.length;
}
