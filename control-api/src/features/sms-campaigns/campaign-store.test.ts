// The SQL CampaignStore passes the core's store contract and the never-twice property, on SQLite and (with
// KIUNGA_TEST_DATABASE=postgres) PostgreSQL, exactly as the in-memory reference store does.
import type { SqlDatabase } from '@kiunga/schemas';
import { ManualClock } from '@kiunga/schemas';
import { openTestDatabases, stopTestDatabaseServer, type TestDatabases } from '@kiunga/schemas/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCampaign, SqlCampaignStore } from './campaign-store';
import {
  describeCampaignStoreContract,
  describeSenderProperty,
  type OpenCampaignStore,
  type TestableCampaignStore,
} from './core/campaign-store.contract';
import {
  newCampaignRun,
  queuedMessage,
  RATE_PER_SECOND_MAX,
  type RequestResult,
  runSenderTurn,
  type SendRequest,
  startCampaign,
} from './core/index';
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

/** The database, counting the statements that write campaign messages (inside transactions too). */
function countingMessageWrites(inner: SqlDatabase): { database: SqlDatabase; writes: () => number } {
  let writes = 0;
  const wrap = (target: SqlDatabase): SqlDatabase => {
    const counted = (sql: string) => {
      if (/^\s*UPDATE sms_campaign_messages/.test(sql)) writes += 1;
      return sql;
    };
    return {
      dialect: target.dialect,
      all: (sql, params) => target.all(counted(sql), params),
      get: (sql, params) => target.get(counted(sql), params),
      column: (sql, params) => target.column(counted(sql), params),
      run: (sql, params) => target.run(counted(sql), params),
      transaction: (work, options) => target.transaction((transaction) => work(wrap(transaction)), options),
    };
  };
  return { database: wrap(inner), writes: () => writes };
}

describe('SQL store: the sender claims and settles a group of requests in one statement each', () => {
  it('sends a batch of 100 personal messages with 2 message writes per group of 8 requests', async () => {
    const messages = Array.from({ length: RATE_PER_SECOND_MAX }, (_, index) =>
      queuedMessage({
        id: `group.m${index}`,
        to: `+2547120${String(index).padStart(5, '0')}`,
        text: `Hi ${index}`,
        parts: 1,
      }),
    );
    const opened = (await openSqlStore(
      startCampaign(newCampaignRun(RATE_PER_SECOND_MAX), 0),
      messages,
    )) as SqlCampaignStore;
    const campaignId = `smc_contract_${campaignNumber}`;
    const counting = countingMessageWrites(database);
    const store = new SqlCampaignStore(counting.database, campaignId, () => 0);
    const sentTo: string[] = [];
    const send = async (request: SendRequest): Promise<RequestResult> => {
      sentTo.push(...request.to);
      return {
        kind: 'answered',
        recipients: request.to.map((_, index) => ({
          outcome: 'sent',
          statusCode: 101,
          status: 'Success',
          providerMessageId: `ATXid_${request.messageIds[index]}`,
        })),
      };
    };
    const step = await runSenderTurn({ store, send, clock: new ManualClock(0), concurrency: 8 });
    expect(step.kind).toBe('send');
    expect(sentTo).toHaveLength(RATE_PER_SECOND_MAX);
    expect(new Set(sentTo).size).toBe(RATE_PER_SECOND_MAX);
    const groups = Math.ceil(RATE_PER_SECOND_MAX / 8);
    expect(counting.writes()).toBe(2 * groups);
    const sent = (await opened.all()).filter((message) => message.status === 'sent');
    expect(sent).toHaveLength(RATE_PER_SECOND_MAX);
    expect(sent[0]).toMatchObject({ id: 'group.m0', providerMessageId: 'ATXid_group.m0' });
  });
});
