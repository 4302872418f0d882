import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { cycleContaining, resolveCycleAnchor } from './cycles';
import { runInvoiceJob } from './invoice-run';
import { cyclesToInvoice, formatInvoiceNumber, generateInvoice } from './invoices';
import { adjustmentLine } from './lines';
import { proratePlanChange } from './proration';
import { basicPlan, eat, numbering, premiumPlan, subscriber, terms } from './test-fixtures';

const anchor = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 1 }, null, 0);
const january = cycleContaining(anchor, eat(2026, 1, 1));

describe('generateInvoice', () => {
  it('bills the plan for the cycle with a numbered, dated invoice', () => {
    const invoice = generateInvoice(subscriber, basicPlan, january, [], numbering(123), terms);
    expect(invoice.number).toBe('INV-2026-000123');
    expect(invoice.id).toBe('inv_sub_amina_20260101');
    expect(invoice.idempotencyKey).toBe('tnt_kilimani:sub_amina:2026-01-01');
    expect(invoice.lines.map((line) => line.kind)).toEqual(['recurring']);
    expect(invoice.totalCents).toBe(100_000);
    expect(invoice.dueAtMs).toBe(eat(2026, 1, 8));
  });

  it('gives the same identity when generated twice for the same subscriber and cycle', () => {
    const first = generateInvoice(subscriber, basicPlan, january, [], numbering(1), terms);
    const again = generateInvoice(subscriber, basicPlan, january, [], numbering(2), terms);
    expect(again.id).toBe(first.id);
    expect(again.idempotencyKey).toBe(first.idempotencyKey);
  });

  it('prorates the first cycle when service starts inside it, due from the start day', () => {
    const newcomer = { ...subscriber, serviceStartMs: eat(2026, 1, 11, 14) };
    const invoice = generateInvoice(newcomer, basicPlan, january, [], numbering(5), terms);
    expect(invoice.lines.map((line) => [line.kind, line.amountCents])).toEqual([
      ['proration_charge', 67_742],
    ]);
    expect(invoice.dueAtMs).toBe(eat(2026, 1, 18));
  });

  it('carries plan-change proration and adjustments, and may total a credit', () => {
    const december = cycleContaining(anchor, eat(2025, 12, 20));
    const pending = [
      ...proratePlanChange(premiumPlan, basicPlan, december, eat(2025, 12, 2)),
      adjustmentLine('Outage credit, 3 days', cents(-10_000)),
    ];
    const invoice = generateInvoice(subscriber, basicPlan, january, pending, numbering(9), terms);
    expect(invoice.lines.map((line) => line.kind)).toEqual([
      'recurring',
      'proration_credit',
      'proration_charge',
      'adjustment',
    ]);
    expect(invoice.totalCents).toBe(100_000 - 241_936 + 96_775 - 10_000);
  });

  it('formats numbers per ISP', () => {
    expect(formatInvoiceNumber({ prefix: 'KLM', includeYear: false, sequenceDigits: 4 }, january, 7)).toBe(
      'KLM-0007',
    );
    expect(() =>
      formatInvoiceNumber({ prefix: 'KLM', includeYear: false, sequenceDigits: 4 }, january, 0),
    ).toThrow();
  });
});

describe('cyclesToInvoice', () => {
  it('bills nothing twice and catches up missed cycles after downtime', () => {
    const start = subscriber.serviceStartMs;
    expect(cyclesToInvoice(anchor, start, null, eat(2025, 12, 5, 11)).map((cycle) => cycle.key)).toEqual([
      '2025-12-01',
    ]);
    expect(
      cyclesToInvoice(anchor, start, eat(2026, 1, 1), eat(2025, 12, 31)).map((cycle) => cycle.key),
    ).toEqual([]);
    const fifth = resolveCycleAnchor({ lengthMonths: 1, anchorDay: 5 }, null, 0);
    expect(cyclesToInvoice(fifth, start, eat(2026, 1, 1), eat(2026, 1, 6)).map((cycle) => cycle.key)).toEqual(
      ['2026-01-05'],
    );
    expect(
      cyclesToInvoice(anchor, start, eat(2026, 1, 1), eat(2026, 3, 2)).map((cycle) => cycle.key),
    ).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
  });
});

describe('runInvoiceJob', () => {
  it('numbers invoices in sequence and reports subscribers it cannot bill', () => {
    const tenant = {
      tenantId: 'tnt_kilimani',
      cycleRule: { lengthMonths: 1, anchorDay: 1 },
      terms,
      numberFormat: { prefix: 'INV', includeYear: true, sequenceDigits: 6 },
      nextSequence: 41,
    };
    const base = {
      ...subscriber,
      cycleOverride: null,
      lastInvoicedCycleEndMs: eat(2026, 1, 1),
      pendingLines: [],
    };
    const result = runInvoiceJob(
      tenant,
      [
        { ...base, planId: 'pln_basic' },
        { ...base, id: 'sub_baraka', planId: 'pln_gone' },
        {
          ...base,
          id: 'sub_chep',
          planId: 'pln_premium',
          cycleOverride: { lengthMonths: 1, anchorDay: 'signup_day' },
          lastInvoicedCycleEndMs: eat(2026, 1, 5),
        },
      ],
      new Map([basicPlan, premiumPlan].map((plan) => [plan.id, plan])),
      eat(2026, 1, 6),
    );
    expect(result.invoices.map((invoice) => [invoice.number, invoice.cycleKey])).toEqual([
      ['INV-2026-000041', '2026-01-01'],
      ['INV-2026-000042', '2026-01-05'],
    ]);
    expect(result.nextSequence).toBe(43);
    expect(result.skipped).toEqual([{ subscriberId: 'sub_baraka', reason: 'plan_not_found' }]);
  });
});
