// Dunning's SMS in the subscriber's language (issue 14): their own choice on the customer portal, else the
// ISP's default (PUT /api/v1/settings/language), else English.
import { writeTenantRadiusSettings } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTwoIspApp, type TwoIspApp } from '../kernel/testing/in-process-app';
import { saveSubscriberLanguage } from '../self-service/store';
import { eat } from './core/test-fixtures';
import { applyDunningAction } from './dunning-store';
import { runTenantInvoices } from './store';
import { insertMonthlySubscriber } from './test-tenant';

let testApp: TwoIspApp;
const databaseOf = (tenantId: string) => testApp.dependencies.databases.forTenant(tenantId);

beforeAll(async () => {
  testApp = await openTwoIspApp({ prefix: 'dunlang', startMs: Date.UTC(2026, 0, 1) });
  for (const [isp, id, accountNumber] of [
    [testApp.ispA, 'sub_chose_sw', 'ACC-2001'],
    [testApp.ispA, 'sub_default', 'ACC-2002'],
    [testApp.ispB, 'sub_isp_sw', 'ACC-3001'],
  ] as const) {
    await insertMonthlySubscriber(databaseOf(isp.tenantId), {
      id,
      accountNumber,
      priceCents: 150_000,
      createdAt: eat(2026, 1, 1),
    });
  }
  await saveSubscriberLanguage(databaseOf(testApp.ispA.tenantId), 'sub_chose_sw', 'sw');
  await writeTenantRadiusSettings(databaseOf(testApp.ispB.tenantId), { clientLanguage: 'sw' }, 0);
  for (const isp of [testApp.ispA, testApp.ispB]) {
    await runTenantInvoices(databaseOf(isp.tenantId), isp.tenantId, testApp.clock.now());
  }
});
afterAll(() => testApp.close());

/** Applies a reminder for the subscriber's invoice and answers the SMS it queued. */
async function reminderBody(tenantId: string, subscriberId: string): Promise<string> {
  const database = databaseOf(tenantId);
  const invoice = await database.get<{ id: string }>('SELECT id FROM invoices WHERE subscriber_id = ?', [
    subscriberId,
  ]);
  const key = `remind:${subscriberId}`;
  const action = { key, action: 'remind', subscriberId, invoiceId: invoice!.id, daysFromDue: -3 } as const;
  expect(await applyDunningAction(database, action, testApp.clock.now())).toBe(true);
  const row = await database.get<{ body: string }>('SELECT body FROM notifications WHERE dedupe_key = ?', [
    key,
  ]);
  return row!.body;
}

describe('dunning SMS language', () => {
  it("is the subscriber's own choice, else the ISP's default, else English", async () => {
    const swahili = await reminderBody(testApp.ispA.tenantId, 'sub_chose_sw');
    expect(swahili).toMatch(
      /^Kumbusho: ankara \S+ ya Ksh 1,500\.00 inapaswa kulipwa kufikia \S+\. Lipa kwa M-Pesa, nambari ya akaunti ACC-2001\.$/,
    );
    expect(await reminderBody(testApp.ispA.tenantId, 'sub_default')).toMatch(
      /^Reminder: invoice \S+ for Ksh 1,500\.00 is due \S+\. Pay with M-Pesa, account number ACC-2002\.$/,
    );
    expect(await reminderBody(testApp.ispB.tenantId, 'sub_isp_sw')).toMatch(
      /^Kumbusho: ankara .*ACC-3001\.$/,
    );
  });
});
