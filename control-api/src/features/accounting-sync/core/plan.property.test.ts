// Property tests of the plan and the CSV amounts: money is neither lost nor made up on the way to a vendor.
import { cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shillings, text } from './csv-export';
import type { LedgerPeriodFacts } from './facts';
import { planSync } from './plan';

const START = Date.UTC(2026, 2, 1);

/** One customer's month: an invoice, a payment settling part of it (the rest is credit), a refund. */
const monthArbitrary = fc
  .record({
    invoiceCents: fc.integer({ min: 1, max: 10_000_000 }),
    paidCents: fc.integer({ min: 1, max: 20_000_000 }),
    refundShare: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ invoiceCents, paidCents, refundShare }): LedgerPeriodFacts => {
    const settled = Math.min(invoiceCents, paidCents);
    const credit = paidCents - settled;
    const refund = Math.floor((credit * refundShare) / 100);
    return {
      tenantId: 'ten_1',
      periodStartMs: START,
      periodEndMs: START + 31 * 86_400_000,
      customers: [{ id: 'sub_1', accountNumber: 'ACC-1', fullName: 'A', phone: null }],
      invoices: [
        {
          id: 'inv_1',
          number: 'INV-1',
          subscriberId: 'sub_1',
          issuedAtMs: START,
          dueAtMs: START,
          lines: [{ description: 'Plan', amountCents: cents(invoiceCents) }],
          totalCents: cents(invoiceCents),
        },
      ],
      payments: [
        {
          id: 'pay_1',
          subscriberId: 'sub_1',
          provider: 'mpesa',
          providerTransactionId: 'R1',
          amountCents: cents(paidCents),
          receivedAtMs: START + 1,
          allocations: [{ invoiceId: 'inv_1', amountCents: cents(settled) }],
        },
      ],
      voids: [],
      refunds:
        refund > 0
          ? [
              {
                id: 'ref_1',
                subscriberId: 'sub_1',
                amountCents: cents(refund),
                reference: 'R2',
                atMs: START + 2,
              },
            ]
          : [],
    };
  });

describe('the sync plan keeps every cent', () => {
  it('Xero: payments plus overpayment equal the money received; refund parts equal the refund, all from known credit', () => {
    fc.assert(
      fc.property(monthArbitrary, (facts) => {
        const plan = planSync('xero', facts);
        const received = plan
          .filter((operation) => operation.kind === 'payment' || operation.kind === 'overpayment')
          .reduce((sum, operation) => sum + ('amountCents' in operation ? operation.amountCents : 0), 0);
        expect(received).toBe(facts.payments[0]?.amountCents);
        const refunds = plan.filter((operation) => operation.kind === 'refund');
        expect(
          refunds.reduce(
            (sum, operation) => sum + (operation.kind === 'refund' ? operation.amountCents : 0),
            0,
          ),
        ).toBe(facts.refunds[0]?.amountCents ?? 0);
        expect(
          refunds.every(
            (operation) => operation.kind === 'refund' && operation.sourceKey === 'overpayment:pay_1',
          ),
        ).toBe(true);
        expect(new Set(plan.map((operation) => operation.key)).size).toBe(plan.length);
      }),
    );
  });

  it('QuickBooks: one payment of the whole amount, applications never above it; the plan is the same on a rerun', () => {
    fc.assert(
      fc.property(monthArbitrary, (facts) => {
        const plan = planSync('quickbooks', facts);
        const payment = plan.find((operation) => operation.kind === 'payment');
        if (payment?.kind !== 'payment') throw new Error('no payment planned');
        expect(payment.amountCents).toBe(facts.payments[0]?.amountCents);
        expect(
          payment.applications.reduce((sum, application) => sum + application.amountCents, 0),
        ).toBeLessThanOrEqual(payment.amountCents);
        expect(planSync('quickbooks', facts)).toEqual(plan);
      }),
    );
  });
});

describe('CSV amounts and text', () => {
  it('writes cents as shillings with two decimals that read back to the same cents', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), (amount) => {
        const written = shillings(amount);
        expect(written).toMatch(/^-?\d+\.\d{2}$/);
        const [whole, fraction] = written.replace('-', '').split('.');
        const back = Number.parseInt(whole ?? '', 10) * 100 + Number.parseInt(fraction ?? '', 10);
        expect(amount < 0 ? -back : back).toBe(amount);
      }),
    );
  });

  it('quotes as RFC 4180 asks and defuses formulas', () => {
    expect(text('plain')).toBe('plain');
    expect(text('a,b')).toBe('"a,b"');
    expect(text('say "hi"')).toBe('"say ""hi"""');
    expect(text('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(text('line\r\nbreak')).toBe('"line\r\nbreak"');
  });
});
