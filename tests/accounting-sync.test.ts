// A month of one ISP's ledger — an overpaid invoice, a void, a refund of the credit, and one record the
// vendor refuses — synced twice to the QuickBooks and the Xero simulator through the real clients: each
// record is created once, a 429 is waited out and retried, the refusal is logged with the vendor's words
// and everything else goes on.
import {
  type LedgerPeriodFacts,
  MemorySyncLog,
  planSync,
  QuickBooksSyncPort,
  runSyncPlan,
  XeroSyncPort,
} from '@kiunga/control-api/features/accounting-sync';
import { connectQuickBooks, QUICKBOOKS_TEST_APP, startQuickBooksSimulator } from '@kiunga/ops/sim/quickbooks';
import { connectXero, startXeroSimulator, XERO_TEST_APP } from '@kiunga/ops/sim/xero';
import { cents, ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';

const MARCH_1 = Date.UTC(2026, 1, 28, 21); // 00:00 on 1 March in Nairobi
const DAY_MS = 86_400_000;

const facts: LedgerPeriodFacts = {
  tenantId: 'ten_demo',
  periodStartMs: MARCH_1,
  periodEndMs: MARCH_1 + 31 * DAY_MS,
  customers: [
    { id: 'sub_a', accountNumber: 'ACC-1001', fullName: 'Jane Wanjiru', phone: '+254712000001' },
    { id: 'sub_b', accountNumber: 'ACC-1002', fullName: 'Otieno Ouma', phone: null },
    { id: 'sub_c', accountNumber: 'ACC-1003', fullName: 'Wambui Njeri', phone: null },
  ],
  invoices: [
    {
      id: 'inv_a',
      number: 'INV-2026-000001',
      subscriberId: 'sub_a',
      issuedAtMs: MARCH_1,
      dueAtMs: MARCH_1 + 7 * DAY_MS,
      lines: [{ description: 'Home 10 Mbps, March', amountCents: cents(150_000) }],
      totalCents: cents(150_000),
    },
    {
      id: 'inv_b',
      number: 'INV-2026-000002',
      subscriberId: 'sub_b',
      issuedAtMs: MARCH_1,
      dueAtMs: MARCH_1 + 7 * DAY_MS,
      lines: [{ description: 'Home 5 Mbps, March', amountCents: cents(100_000) }],
      totalCents: cents(100_000),
    },
    // 22 characters: more than QuickBooks' DocNumber takes, so QuickBooks refuses this one.
    {
      id: 'inv_c',
      number: 'INV-2026-000003-KIUNGA',
      subscriberId: 'sub_c',
      issuedAtMs: MARCH_1,
      dueAtMs: MARCH_1 + 7 * DAY_MS,
      lines: [{ description: 'Home 5 Mbps, March', amountCents: cents(100_000) }],
      totalCents: cents(100_000),
    },
  ],
  payments: [
    {
      id: 'pay_a',
      subscriberId: 'sub_a',
      provider: 'mpesa',
      providerTransactionId: 'SCA1B2C3D4',
      amountCents: cents(200_000),
      receivedAtMs: MARCH_1 + DAY_MS,
      allocations: [{ invoiceId: 'inv_a', amountCents: cents(150_000) }],
    },
  ],
  voids: [{ invoiceId: 'inv_b', atMs: MARCH_1 + 4 * DAY_MS, paidCents: cents(0) }],
  refunds: [
    {
      id: 'ref_a',
      subscriberId: 'sub_a',
      amountCents: cents(50_000),
      reference: 'SCA9Z8Y7X6',
      atMs: MARCH_1 + 9 * DAY_MS,
    },
  ],
};

describe('accounting sync of a month with a void and a refund, run twice', () => {
  it('QuickBooks: creates each record once, waits out a 429, logs the refused invoice and goes on', async () => {
    const clock = new ManualClock(MARCH_1 + 31 * DAY_MS);
    const simulator = await startQuickBooksSimulator({
      port: 0,
      ...QUICKBOOKS_TEST_APP,
      itemIds: ['1'],
      accounts: { receivable: '84', others: ['35'] },
      clock,
    });
    try {
      const { client } = await connectQuickBooks(simulator, clock);
      const port = new QuickBooksSyncPort(client, {
        itemId: '1',
        receivableAccountId: '84',
        refundFromAccountId: '35',
        depositToAccountId: null,
      });
      const log = new MemorySyncLog();
      const waits: number[] = [];
      const run = () =>
        runSyncPlan({
          tenantId: facts.tenantId,
          plan: planSync('quickbooks', facts),
          port,
          log,
          clock,
          wait: async (ms) => {
            waits.push(ms);
            clock.advance(ms);
          },
        });

      simulator.failNext(1, { status: 429, retryAfterSeconds: 3 });
      const first = await run();
      expect(waits).toEqual([30_000]);
      expect(first).toMatchObject({ created: 8, failed: 1, stoppedBecause: null });
      const refused = log.all().find((entry) => entry.key === 'invoice:inv_c');
      expect(refused?.status).toBe('failed');
      expect(refused?.error?.message).toMatch(/docNumber must be 1\.\.21 characters/);

      const callsBefore = simulator.apiCallCount();
      const second = await run();
      expect(second).toMatchObject({ created: 0, alreadyDone: 8, failed: 1 });
      // Only the refused invoice is tried again (as a new request): one lookup, then refused before sending.
      expect(simulator.apiCallCount() - callsBefore).toBe(1);
      expect(log.all().find((entry) => entry.key === 'invoice:inv_c')?.generation).toBe(1);
      const count = (type: Parameters<typeof simulator.entities>[0]) => simulator.entities(type).length;
      expect([count('Customer'), count('Invoice'), count('Payment'), count('JournalEntry')]).toEqual([
        3, 2, 1, 1,
      ]);
      const [invoiceA, invoiceB] = simulator.entities('Invoice');
      expect(invoiceA?.balanceCents).toBe(0);
      expect(invoiceB?.isVoided).toBe(true);
      expect(simulator.entities('Payment')[0]?.data.UnappliedAmt).toBe(500);
      expect(simulator.entities('JournalEntry')[0]?.data.TxnDate).toBe('2026-03-10');
    } finally {
      await simulator.stop();
    }
  });

  it('Xero: creates each record once, waits out a 429, logs the refused contact and goes on', async () => {
    const clock = new ManualClock(MARCH_1 + 31 * DAY_MS);
    const simulator = await startXeroSimulator({
      port: 0,
      ...XERO_TEST_APP,
      revenueAccountCodes: ['200'],
      bankAccountCodes: ['090'],
      clock,
    });
    try {
      const { client } = await connectXero(simulator, clock);
      // A contact the ISP typed in by hand holds the name Kiunga would give sub_c: Xero refuses a second.
      await client.createContact(
        { name: 'Wambui Njeri (ACC-1003)', contactNumber: 'legacy-7', phone: null },
        'seed-contact',
      );
      const port = new XeroSyncPort(client, { revenueAccountCode: '200', bankAccountCode: '090' });
      const log = new MemorySyncLog();
      const waits: number[] = [];
      const run = () =>
        runSyncPlan({
          tenantId: facts.tenantId,
          plan: planSync('xero', facts),
          port,
          log,
          clock,
          wait: async (ms) => {
            waits.push(ms);
            clock.advance(ms);
          },
        });

      simulator.failNext(2, { status: 429, retryAfterSeconds: 45 });
      const first = await run();
      expect(waits).toEqual([45_000, 60_000]);
      expect(first).toMatchObject({ created: 8, failed: 1, stoppedBecause: null });
      const refused = log.all().find((entry) => entry.key === 'customer:sub_c');
      expect(refused?.error?.message).toBe(
        'The contact name Wambui Njeri (ACC-1003) is already assigned to another contact. The contact name must be unique across all active contacts.',
      );
      expect(log.all().find((entry) => entry.key === 'invoice:inv_c')?.status).toBe('blocked');

      const second = await run();
      expect(second).toMatchObject({ created: 0, alreadyDone: 8, failed: 1 });
      const count = (type: Parameters<typeof simulator.documents>[0]) => simulator.documents(type).length;
      expect([count('Contact'), count('Invoice'), count('Payment'), count('Overpayment')]).toEqual([
        3, 2, 2, 1,
      ]);
      const invoices = simulator.documents('Invoice');
      expect(invoices.map((invoice) => invoice.status)).toEqual(['PAID', 'VOIDED']);
      expect(simulator.documents('Overpayment')[0]?.openCents).toBe(0);
    } finally {
      await simulator.stop();
    }
  });
});
