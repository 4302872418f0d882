import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import type { Transfer } from '../../ledger/ledger';
import { cycleContaining, resolveCycleAnchor } from './cycles';
import {
  type DunningAccount,
  type DunningAction,
  defaultDunningPolicy,
  dunningActions,
  dunningInvoicesOf,
} from './dunning';
import { generateInvoice } from './invoices';
import { paymentTransferId } from './payments';
import { accountStanding } from './standing';
import { basicPlan, eat, numbering, subscriber, terms } from './test-fixtures';
import { postInvoice, subscriberAccounts } from './transfers';

const active: DunningAccount = { subscriberId: 'sub_amina', status: 'active', suspendedByKey: null };
/** Due 8 January: reminders on the 5th and the 8th, suspension on the 11th. */
const january = { invoiceId: 'inv_jan', dueAtMs: eat(2026, 1, 8), outstandingCents: cents(100_000) };
const none = new Set<string>();
const run = (
  account: DunningAccount,
  nowMs: number,
  done: ReadonlySet<string> = none,
  invoices = [january],
) => dunningActions(account, invoices, defaultDunningPolicy, nowMs, done);
const kinds = (actions: DunningAction[]) => actions.map((action) => `${action.action}@${action.daysFromDue}`);

describe('dunningActions', () => {
  it('reminds when each step comes due, once', () => {
    expect(run(active, eat(2026, 1, 4, 23))).toEqual([]);
    const first = run(active, eat(2026, 1, 5, 6));
    expect(kinds(first)).toEqual(['remind@-3']);
    const done = new Set(first.map((action) => action.key));
    expect(run(active, eat(2026, 1, 7), done)).toEqual([]);
    expect(kinds(run(active, eat(2026, 1, 8, 6), done))).toEqual(['remind@0']);
  });

  it('sends only the latest reminder after downtime, not the backlog', () => {
    expect(kinds(run(active, eat(2026, 1, 9)))).toEqual(['remind@0']);
  });

  it('suspends after grace without a stale reminder alongside', () => {
    expect(kinds(run(active, eat(2026, 1, 11)))).toEqual(['suspend@3']);
  });

  it('does not remind or suspend for a paid invoice', () => {
    expect(run(active, eat(2026, 1, 20), none, [])).toEqual([]);
  });

  it('reactivates an account it suspended once nothing overdue is unpaid, and only once', () => {
    const [suspension] = run(active, eat(2026, 1, 11));
    const suspended: DunningAccount = { ...active, status: 'suspended', suspendedByKey: suspension!.key };
    const stillOwing = [{ ...january, outstandingCents: cents(1) }];
    expect(run(suspended, eat(2026, 1, 12), new Set([suspension!.key]), stillOwing)).toEqual([]);
    const reactivation = run(suspended, eat(2026, 1, 12), new Set([suspension!.key]), []);
    expect(kinds(reactivation)).toEqual(['reactivate@null']);
    const done = new Set([suspension!.key, reactivation[0]!.key]);
    expect(run(suspended, eat(2026, 1, 12), done, [])).toEqual([]);
  });

  it('leaves accounts suspended by staff alone and respects a staff reactivation', () => {
    const byStaff: DunningAccount = { ...active, status: 'suspended', suspendedByKey: null };
    expect(run(byStaff, eat(2026, 1, 20), none, [])).toEqual([]);
    const [suspension] = run(active, eat(2026, 1, 11));
    expect(run(active, eat(2026, 1, 15), new Set([suspension!.key]))).toEqual([]);
    const february = { invoiceId: 'inv_feb', dueAtMs: eat(2026, 2, 8), outstandingCents: cents(100_000) };
    const later = run(active, eat(2026, 2, 11), new Set([suspension!.key]), [january, february]);
    expect(later.map((action) => [action.action, action.invoiceId])).toEqual([['suspend', 'inv_feb']]);
  });

  it('travels through due, reminder, suspension and reactivation on payment with the real ledger', () => {
    const accounts = subscriberAccounts(subscriber.id);
    const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);
    const invoice = generateInvoice(
      subscriber,
      basicPlan,
      cycleContaining(anchor, eat(2026, 1, 1)),
      [],
      numbering(1),
      terms,
    );
    let entries: Transfer[] = postInvoice(invoice, accounts, eat(2026, 1, 1));
    const dueAt = new Map([[invoice.id, invoice.dueAtMs]]);
    const done = new Set<string>();
    let account: DunningAccount = active;
    const step = (nowMs: number) => {
      const unpaid = dunningInvoicesOf(accountStanding(entries, accounts.receivable), dueAt);
      const actions = dunningActions(account, unpaid, defaultDunningPolicy, nowMs, done);
      for (const action of actions) {
        done.add(action.key);
        if (action.action === 'suspend')
          account = { ...account, status: 'suspended', suspendedByKey: action.key };
        if (action.action === 'reactivate') account = { ...account, status: 'active', suspendedByKey: null };
      }
      return kinds(actions);
    };
    const log: string[][] = [];
    for (let day = 4; day <= 12; day++) log.push(step(eat(2026, 1, day, 9)));
    expect(log.flat()).toEqual(['remind@-3', 'remind@0', 'suspend@3']);
    // The transfer an M-Pesa payment of the whole invoice posts (as the payment stores write it).
    entries = [
      ...entries,
      {
        id: paymentTransferId('mpesa', 'SBX1'),
        debitAccount: accounts.cash,
        creditAccount: accounts.receivable,
        amount: cents(100_000),
        kind: 'payment',
        reference: 'SBX1',
        invoiceId: null,
        atMs: eat(2026, 1, 12, 10),
      },
    ];
    expect(step(eat(2026, 1, 12, 10))).toEqual(['reactivate@null']);
    expect(account.status).toBe('active');
    expect(step(eat(2026, 1, 13))).toEqual([]);
  });
});
