// Dunning: which reminders, suspensions and reactivations are due now, idempotent and catch-up safe.
//
// A step becomes due at the invoice's due date + daysFromDue days (local midnight, EAT). The
// function is a pure reading of the present, not a replay of the past: after downtime it
// returns only the most recent due reminder and at most one suspension, so a subscriber gets
// one message, not a backlog. Every action carries a stable key; the caller records the keys
// it carried out and passes them back in `alreadyDone`, so a second run returns nothing new.
import type { Cents } from '@kiunga/schemas';
import { DAY_MS } from './calendar';
import type { AccountStanding } from './standing';

/** More steps than this is not a dunning policy a subscriber could follow. */
export const DUNNING_STEPS_MAX = 10;
/** Steps run from a month before the due date to three months after it. */
export const DAYS_FROM_DUE_MIN = -30;
export const DAYS_FROM_DUE_MAX = 90;

export type DunningStepAction = 'remind' | 'suspend';

export interface DunningStep {
  readonly daysFromDue: number;
  readonly action: DunningStepAction;
}

export interface DunningPolicy {
  readonly steps: readonly DunningStep[];
}

/** Remind three days before and on the due date; three days of grace, then suspend. */
export const defaultDunningPolicy: DunningPolicy = {
  steps: [
    { daysFromDue: -3, action: 'remind' },
    { daysFromDue: 0, action: 'remind' },
    { daysFromDue: 3, action: 'suspend' },
  ],
};

export interface DunningAccount {
  readonly subscriberId: string;
  readonly status: 'active' | 'suspended';
  /** Key of the dunning action that suspended the account; null when active or suspended by staff. */
  readonly suspendedByKey: string | null;
}

export interface DunningInvoice {
  readonly invoiceId: string;
  readonly dueAtMs: number;
  readonly outstandingCents: Cents;
}

export interface DunningAction {
  readonly key: string;
  readonly action: 'remind' | 'suspend' | 'reactivate';
  readonly subscriberId: string;
  readonly invoiceId: string | null;
  readonly daysFromDue: number | null;
}

interface DueStep {
  readonly invoice: DunningInvoice;
  readonly step: DunningStep;
  readonly dueStepMs: number;
  readonly key: string;
}

/** Unpaid invoices with their due dates, from the ledger's standing. */
export function dunningInvoicesOf(
  standing: AccountStanding,
  dueAtByInvoiceId: ReadonlyMap<string, number>,
): DunningInvoice[] {
  const invoices: DunningInvoice[] = [];
  for (const invoice of standing.invoices) {
    const dueAtMs = dueAtByInvoiceId.get(invoice.invoiceId);
    if (invoice.outstandingCents <= 0 || dueAtMs === undefined || invoice.status === 'void') continue;
    invoices.push({ invoiceId: invoice.invoiceId, dueAtMs, outstandingCents: invoice.outstandingCents });
  }
  return invoices;
}

export function dunningActions(
  account: DunningAccount,
  unpaidInvoices: readonly DunningInvoice[],
  policy: DunningPolicy,
  nowMs: number,
  alreadyDone: ReadonlySet<string>,
): DunningAction[] {
  const dueSteps = dueStepsOf(account.subscriberId, unpaidInvoices, policy, nowMs);
  const suspensions = dueSteps.filter((due) => due.step.action === 'suspend');
  const actions: DunningAction[] = [];
  const latestReminder = latestOf(dueSteps.filter((due) => due.step.action === 'remind'));
  const latestSuspension = latestOf(suspensions);
  const isSuperseded =
    latestReminder !== undefined &&
    latestSuspension !== undefined &&
    latestSuspension.dueStepMs >= latestReminder.dueStepMs;
  if (latestReminder && !isSuperseded && !alreadyDone.has(latestReminder.key)) {
    actions.push(stepAction(account.subscriberId, latestReminder));
  }
  if (account.status === 'active' && latestSuspension && !alreadyDone.has(latestSuspension.key)) {
    actions.push(stepAction(account.subscriberId, latestSuspension));
  }
  if (account.status === 'suspended' && account.suspendedByKey !== null && suspensions.length === 0) {
    const key = `${account.suspendedByKey}:reactivate`;
    if (!alreadyDone.has(key)) {
      actions.push({
        key,
        action: 'reactivate',
        subscriberId: account.subscriberId,
        invoiceId: null,
        daysFromDue: null,
      });
    }
  }
  return actions;
}

function dueStepsOf(
  subscriberId: string,
  invoices: readonly DunningInvoice[],
  policy: DunningPolicy,
  nowMs: number,
): DueStep[] {
  const dueSteps: DueStep[] = [];
  for (const invoice of invoices) {
    if (invoice.outstandingCents <= 0) continue;
    for (const step of policy.steps) {
      const dueStepMs = invoice.dueAtMs + step.daysFromDue * DAY_MS;
      if (dueStepMs > nowMs) continue;
      const key = `dunning:${subscriberId}:${invoice.invoiceId}:${step.action}:${step.daysFromDue}`;
      dueSteps.push({ invoice, step, dueStepMs, key });
    }
  }
  return dueSteps;
}

/** The most recently due step; ties go to the later key so the choice never depends on input order. */
function latestOf(dueSteps: readonly DueStep[]): DueStep | undefined {
  let latest: DueStep | undefined;
  for (const due of dueSteps) {
    if (
      !latest ||
      due.dueStepMs > latest.dueStepMs ||
      (due.dueStepMs === latest.dueStepMs && due.key > latest.key)
    ) {
      latest = due;
    }
  }
  return latest;
}

function stepAction(subscriberId: string, due: DueStep): DunningAction {
  return {
    key: due.key,
    action: due.step.action,
    subscriberId,
    invoiceId: due.invoice.invoiceId,
    daysFromDue: due.step.daysFromDue,
  };
}
