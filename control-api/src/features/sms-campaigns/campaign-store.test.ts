// The SQL CampaignStore passes the core's store contract and the never-twice property, on SQLite and (with
// KIUNGA_TEST_DATABASE=postgres) PostgreSQL, exactly as the in-memory reference store does.
import type { SqlDatabase } from '@kiunga/schemas';
import { openTestDatabases, stopTestDatabaseServer, type TestDatabases } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCampaign, SqlCampaignStore } from './campaign-store';
import {
  describeCampaignStoreContract,
  describeSenderProperty,
  type OpenCampaignStore,
  type TestableCampaignStore,
} from './core/campaign-store.contract';
import { newCampaignRun, queuedMessage, startCampaign } from './core/index';
import { storeDeliveryReport } from './store';

/** The property over SQL: fewer runs than in memory (each is a few hundred statements), same checks. */
const SQL_PROPERTY_RUNS = 25;

let opened: TestDatabases;
let database: SqlDatabase;
let campaignNumber = 0;

beforeAll(async () => {
  opened = await openTestDatabases();
  database = await opened.createTenantDatabase('ten_smsstore');
});

afterAll(async () => {
  await opened?.close();
  await stopTestDatabaseServer();
});

const openSqlStore: OpenCampaignStore = async (run, messages) => {
  campaignNumber += 1;
  const id = `smc_contract_${campaignNumber}`;
  await insertCampaign(
    database,
    {
      id,
      name: 'contract',
      template: 'Hi',
      segment: '{"kind":"all"}',
      run,
      partPriceCents: 80,
      skippedCount: 0,
      createdBy: null,
      messages: messages.map((message) => ({
        id: message.id,
        recipientId: 'sub_contract',
        to: message.to,
        text: message.text,
        parts: message.parts,
      })),
    },
    0,
  );
  return new SqlCampaignStore(database, id, () => 0) satisfies TestableCampaignStore;
};

describeCampaignStoreContract('SQL', () => openSqlStore);
describeSenderProperty('the SQL store', () => openSqlStore, SQL_PROPERTY_RUNS);

describe('SQL store: a delivery report that came before the send answer', () => {
  it('is applied when the message is marked sent', async () => {
    const message = queuedMessage({ id: 'early.m1', to: '+254712000001', text: 'Hi', parts: 1 });
    const store = await openSqlStore(startCampaign(newCampaignRun(1), 0), [message]);
    await storeDeliveryReport(
      database,
      { providerMessageId: 'ATXid_early', status: 'Failed', failureReason: 'UserDoesNotExist', body: 'raw' },
      0,
    );
    expect(await store.claim(['early.m1'], 0)).toEqual(['early.m1']);
    await store.settle(null, [
      { messageId: 'early.m1', event: { type: 'accepted', providerMessageId: 'ATXid_early' } },
    ]);
    expect(await store.message('early.m1')).toMatchObject({
      status: 'undelivered',
      lastError: 'UserDoesNotExist',
    });
  });
});
