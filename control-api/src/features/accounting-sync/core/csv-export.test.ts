// The CSV export as an accountant's spreadsheet reads it: header, CRLF rows, Nairobi dates, shillings.
import { describe, expect, it } from 'vitest';
import { invoicesCsv, ledgerCsv, nairobiInstant, paymentsCsv } from './csv-export';

const MARCH_1_NAIROBI = Date.UTC(2026, 1, 28, 21);
const period = { startMs: MARCH_1_NAIROBI, endMs: MARCH_1_NAIROBI + 31 * 86_400_000 };

describe('CSV export of a period', () => {
  it('writes the ledger in time order, only inside the period, dates in Nairobi', () => {
    const csv = ledgerCsv(
      [
        {
          transferId: 'pay_mpesa_R2',
          atMs: MARCH_1_NAIROBI + 3_600_000,
          kind: 'payment',
          debitAccount: 'mpesa_clearing',
          creditAccount: 'subscriber:sub_1',
          amountCents: 150_050,
          reference: 'R2',
          invoiceId: null,
        },
        {
          transferId: 'inv_1:charge',
          atMs: MARCH_1_NAIROBI,
          kind: 'invoice',
          debitAccount: 'subscriber:sub_1',
          creditAccount: 'subscription_revenue',
          amountCents: 150_000,
          reference: 'INV-2026-000001',
          invoiceId: 'inv_1',
        },
        {
          transferId: 'old',
          atMs: MARCH_1_NAIROBI - 1,
          kind: 'invoice',
          debitAccount: 'a',
          creditAccount: 'b',
          amountCents: 1,
          reference: '',
          invoiceId: null,
        },
      ],
      period,
    );
    expect(csv).toBe(
      'transfer_id,date,occurred_at,kind,debit_account,credit_account,amount,reference,invoice_id\r\n' +
        'inv_1:charge,2026-03-01,2026-03-01T00:00:00+03:00,invoice,subscriber:sub_1,subscription_revenue,1500.00,INV-2026-000001,inv_1\r\n' +
        'pay_mpesa_R2,2026-03-01,2026-03-01T01:00:00+03:00,payment,mpesa_clearing,subscriber:sub_1,1500.50,R2,\r\n',
    );
  });

  it('writes invoices and payments with their documented columns', () => {
    const invoices = invoicesCsv(
      [
        {
          id: 'inv_1',
          number: 'INV-2026-000001',
          subscriberId: 'sub_1',
          accountNumber: 'ACC-1001',
          issuedAtMs: MARCH_1_NAIROBI,
          dueAtMs: MARCH_1_NAIROBI + 7 * 86_400_000,
          periodStartMs: MARCH_1_NAIROBI,
          periodEndMs: MARCH_1_NAIROBI + 31 * 86_400_000,
          totalCents: 150_000,
          status: 'paid',
        },
      ],
      period,
    );
    expect(invoices.split('\r\n')[1]).toBe(
      'inv_1,INV-2026-000001,sub_1,ACC-1001,2026-03-01,2026-03-08,2026-03-01,2026-04-01,1500.00,paid',
    );
    const payments = paymentsCsv(
      [
        {
          id: 'pay_1',
          receivedAtMs: MARCH_1_NAIROBI + 86_399_000,
          provider: 'mpesa',
          providerTransactionId: 'SCA1B2C3D4',
          accountReference: 'ACC-1001',
          phone: '+254712000001',
          amountCents: 5,
          status: 'matched',
          matchedKind: 'subscriber',
          matchedId: 'sub_1',
        },
      ],
      period,
    );
    expect(payments.split('\r\n')[1]).toBe(
      "pay_1,2026-03-01,2026-03-01T23:59:59+03:00,mpesa,SCA1B2C3D4,ACC-1001,'+254712000001,0.05,matched,subscriber,sub_1",
    );
    expect(nairobiInstant(Date.UTC(2026, 0, 1, 21, 0, 0))).toBe('2026-01-02T00:00:00+03:00');
  });
});
