// SMS to clients end to end over HTTP: the control API served on loopback with the sender job run in this
// process (a clock the test moves), the SMS gateway simulator (ops/sim/sms) and its delivery reports posted
// to the API's callback (ops/sim/sms-delivery). A bulk SMS to a group of 500 reaches the gateway once each
// and every message shows its delivery report; STOP is honoured by later campaigns and START undoes it;
// ISP B sees nothing of ISP A's; a Tier 1 ISP is told SMS is part of Tier 2.
import {
  type ControlApiServer,
  runCampaignSendersOnce,
  smsCallbackUrls,
  startControlApi,
} from '@kiunga/control-api';
import { type SmsSimulator, startSmsSimulator } from '@kiunga/ops/sim/sms';
import { reportDeliveries } from '@kiunga/ops/sim/sms-delivery';
import { insertOf, ManualClock, tenantSchema } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcessKiunga, startInProcess } from './support/in-process';
import { type DemoJson, makeDataDir, removeDataDir, seedDemo } from './support/kiunga-process';

type SmsDemoTenant = DemoJson['tenants'][number] & {
  sms: { username: string; apiKey: string; senderId: string };
};

const GROUP_SIZE = 500;
/** The delivery simulator's magic numbers: reported Failed (UserDoesNotExist) and Rejected (UserInBlackList). */
const FAILED_NUMBER = '0700000601';
const REJECTED_NUMBER = '0700000602';
const OPTED_OUT_NUMBER = '0799000001';
const GROUP_PLAN_ID = 'pln_sms_group';

let dataDir: string;
let kiunga: InProcessKiunga;
let server: ControlApiServer;
let sms: SmsSimulator;
let tenants: SmsDemoTenant[];
let baseUrl: string;
const tokens = new Map<string, string>();
const clock = new ManualClock(Date.UTC(2030, 0, 14, 7));
const a = () => tenants[0]!;
const b = () => tenants[1]!;

/** The group's numbers: 498 ordinary ones and the two whose reports fail. */
function groupPhones(): string[] {
  const phones = Array.from(
    { length: GROUP_SIZE - 2 },
    (_, index) => `0711${String(index).padStart(6, '0')}`,
  );
  return [...phones, FAILED_NUMBER, REJECTED_NUMBER];
}

/** The form Africa's Talking and the simulator use: +2547XXXXXXXX. */
const international = (phone: string) => `+254${phone.slice(1)}`;

beforeAll(async () => {
  dataDir = makeDataDir();
  tenants = (await seedDemo(dataDir)).tenants as SmsDemoTenant[];
  sms = await startSmsSimulator({
    port: 0,
    accounts: tenants.map((tenant) => ({ username: tenant.sms.username, apiKey: tenant.sms.apiKey })),
  });
  kiunga = await startInProcess({ dataDir, clock, extra: { smsBaseUrl: sms.baseUrl } });
  server = await startControlApi({ ...kiunga.dependencies, host: '127.0.0.1', port: 0, runJobs: false });
  baseUrl = `http://127.0.0.1:${server.port}`;
  for (const tenant of tenants) {
    tokens.set(tenant.id, await login(tenant.owner));
    const put = await api(tenant, 'PUT', '/api/v1/settings/sms', {
      username: tenant.sms.username,
      apiKey: tenant.sms.apiKey,
      enabled: true,
    });
    expect(put.status).toBe(200);
  }
  await seedGroup();
});

afterAll(async () => {
  await server?.stop();
  await kiunga?.stop();
  await sms?.stop();
  removeDataDir(dataDir);
});

/** ISP A: a plan with 500 subscribers plus one who will send STOP; other demo subscribers are outside it. */
async function seedGroup(): Promise<void> {
  const database = kiunga.databases.forTenant(a().id);
  const nowMs = clock.now();
  const plan = insertOf(tenantSchema.plans, {
    id: GROUP_PLAN_ID,
    name: 'Estate 10 Mbps',
    kind: 'pppoe',
    priceCents: 150_000,
    rateUpKbps: 5_000,
    rateDownKbps: 10_000,
    createdAt: nowMs,
    updatedAt: nowMs,
  });
  await database.run(plan.sql, plan.params);
  const phones = [...groupPhones(), OPTED_OUT_NUMBER];
  for (const [index, phone] of phones.entries()) {
    const row = insertOf(tenantSchema.subscribers, {
      id: `sub_group_${String(index).padStart(4, '0')}`,
      username: `group${index}`,
      passwordSealed: 'unused',
      planId: GROUP_PLAN_ID,
      accountNumber: `GRP${index}`,
      kind: 'pppoe',
      status: 'active',
      fullName: `Client ${index}`,
      phone,
      createdAt: nowMs + index,
      updatedAt: nowMs,
    });
    await database.run(row.sql, row.params);
  }
}

async function login(credentials: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function api(
  who: SmsDemoTenant,
  method: string,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: the test reads JSON loosely and asserts on it.
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens.get(who.id)}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The callback URLs of a tenant, pointed at this test's server instead of the public URL. */
function callbackUrlsOf(tenant: SmsDemoTenant) {
  const urls = smsCallbackUrls(kiunga.dependencies, tenant.id);
  const local = (url: string) => url.replace(kiunga.dependencies.publicUrl.replace(/\/+$/, ''), baseUrl);
  return { delivery: local(urls.delivery), incoming: local(urls.incoming), optOut: local(urls.optOut) };
}

async function postForm(url: string, fields: Record<string, string>): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

/** An SMS from a client to the ISP's shortcode, as Africa's Talking posts it. */
function inbound(tenant: SmsDemoTenant, phone: string, text: string): Promise<number> {
  return postForm(callbackUrlsOf(tenant).incoming, {
    date: '2030-01-14 10:00:00',
    from: international(phone),
    to: '22384',
    text,
    id: `in-${phone}-${text}`,
    networkCode: '63902',
  });
}

/** Runs the sender job until every sending campaign has stopped, moving the clock through its waits. */
async function runSenders(): Promise<void> {
  await runCampaignSendersOnce(kiunga.dependencies, {
    waitUntil: async (untilMs) => clock.set(Math.max(untilMs, clock.now())),
  });
}

/** Every message of a campaign, page by page. */
async function allMessages(tenant: SmsDemoTenant, campaignId: string) {
  const messages: {
    to: string;
    status: string;
    lastError: string | null;
    providerMessageId: string | null;
  }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page = await api(tenant, 'GET', `/api/v1/sms/campaigns/${campaignId}/messages?limit=200${query}`);
    expect(page.status).toBe(200);
    messages.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return messages;
}

const groupSegment = { kind: 'group', filters: { planIds: [GROUP_PLAN_ID] } };
const groupTemplate =
  'Hello {{name|customer}}, {{plan}} maintenance tonight 1-3am. Account {{accountNumber}}.';

describe('a bulk SMS to a group', () => {
  let campaignId: string;

  it('honours a STOP sent before the campaign: the preview counts it out', async () => {
    expect(await inbound(a(), OPTED_OUT_NUMBER, 'Stop please')).toBe(200);
    const preview = await api(a(), 'POST', '/api/v1/sms/campaigns/preview', {
      template: groupTemplate,
      segment: groupSegment,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      recipientCount: GROUP_SIZE + 1,
      messageCount: GROUP_SIZE,
      skipped: { opted_out: 1, invalid_phone: 0 },
      partCount: GROUP_SIZE,
      costCents: GROUP_SIZE * 80,
    });
    expect(preview.body.samples[0].text).toBe(
      'Hello Client 0, Estate 10 Mbps maintenance tonight 1-3am. Account GRP0.',
    );
  });

  it('reaches the SMS gateway once for each of the 500, at the campaign’s rate', async () => {
    sms.reset();
    const created = await api(a(), 'POST', '/api/v1/sms/campaigns', {
      name: 'Maintenance notice',
      template: groupTemplate,
      segment: groupSegment,
      ratePerSecond: 100,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'sending', messageCount: GROUP_SIZE, skippedCount: 1 });
    campaignId = created.body.id;
    const startedAtMs = clock.now();
    await runSenders();
    const received = sms.messages().map((message) => message.to);
    expect(received).toHaveLength(GROUP_SIZE);
    expect(new Set(received)).toEqual(new Set(groupPhones().map(international)));
    expect(received).not.toContain(international(OPTED_OUT_NUMBER));
    // 500 at 100 a second: five batches, the last starting four seconds after the first.
    expect(clock.now() - startedAtMs).toBeGreaterThanOrEqual(4_000);
    const campaign = await api(a(), 'GET', `/api/v1/sms/campaigns/${campaignId}`);
    expect(campaign.body).toMatchObject({
      status: 'completed',
      progress: { total: GROUP_SIZE, finished: GROUP_SIZE, percent: 100 },
    });
    expect(campaign.body.progress.byStatus.sent).toBe(GROUP_SIZE);
    await runSenders();
    expect(sms.messages()).toHaveLength(GROUP_SIZE);
  });

  it('shows each message’s delivery report, and a repeated report changes nothing', async () => {
    const run = await reportDeliveries({
      callbackUrl: callbackUrlsOf(a()).delivery,
      messages: sms.delivered(),
      withIntermediate: true,
    });
    expect(run.answers.get(200)).toBe(run.posted);
    const again = await reportDeliveries({
      callbackUrl: callbackUrlsOf(a()).delivery,
      messages: sms.delivered(),
    });
    expect(again.answers.get(200)).toBe(again.posted);
    const messages = await allMessages(a(), campaignId);
    expect(messages).toHaveLength(GROUP_SIZE);
    const byNumber = new Map(messages.map((message) => [message.to, message]));
    expect(byNumber.get(international(FAILED_NUMBER))).toMatchObject({
      status: 'undelivered',
      lastError: 'UserDoesNotExist',
    });
    expect(byNumber.get(international(REJECTED_NUMBER))).toMatchObject({
      status: 'undelivered',
      lastError: 'UserInBlackList',
    });
    expect(messages.filter((message) => message.status === 'delivered')).toHaveLength(GROUP_SIZE - 2);
    const campaign = await api(a(), 'GET', `/api/v1/sms/campaigns/${campaignId}`);
    expect(campaign.body.progress.byStatus).toMatchObject({
      delivered: GROUP_SIZE - 2,
      undelivered: 2,
      sent: 0,
    });
  });

  it('answers 200 to an unreadable report (kept raw) and 404 to a wrong token', async () => {
    expect(await postForm(callbackUrlsOf(a()).delivery, { id: 'x', status: 'Exploded' })).toBe(200);
    const wrong = callbackUrlsOf(a()).delivery.replace(
      /\/[0-9a-f]{32}\/delivery$/,
      `/${'0'.repeat(32)}/delivery`,
    );
    expect(await postForm(wrong, { id: 'x', status: 'Success', phoneNumber: '+254711000000' })).toBe(404);
  });
});

describe('opt-out and opt-in', () => {
  it('sends nothing to a number that sent STOP, and again after START', async () => {
    const one = { kind: 'group', filters: { planIds: [GROUP_PLAN_ID], tags: ['stop-test'] } };
    const tag = await api(a(), 'PUT', '/api/v1/sms/subscribers/sub_group_0500/tags', { tags: ['stop-test'] });
    expect(tag.status).toBe(200);
    const stopped = await api(a(), 'POST', '/api/v1/sms/campaigns', {
      name: 'One',
      template: 'Hi {{name}}',
      segment: one,
    });
    expect(stopped.body).toMatchObject({ messageCount: 0, skippedCount: 1 });
    const optOuts = await api(a(), 'GET', '/api/v1/sms/opt-outs');
    expect(optOuts.body.items).toEqual([
      expect.objectContaining({ phone: '254799000001', source: 'keyword' }),
    ]);

    expect(await inbound(a(), OPTED_OUT_NUMBER, 'START')).toBe(200);
    sms.reset();
    const started = await api(a(), 'POST', '/api/v1/sms/campaigns', {
      name: 'Two',
      template: 'Hi {{name}}',
      segment: one,
    });
    expect(started.body).toMatchObject({ messageCount: 1, skippedCount: 0 });
    await runSenders();
    expect(sms.messages().map((message) => [message.to, message.message])).toEqual([
      [international(OPTED_OUT_NUMBER), 'Hi Client 500'],
    ]);
  });

  it('cancels what is still queued to a number that sends STOP mid-campaign', async () => {
    const draft = await api(a(), 'POST', '/api/v1/sms/campaigns', {
      name: 'Draft',
      template: 'Hi {{name}}',
      segment: { kind: 'subscriber', subscriberId: 'sub_group_0500' },
      send: false,
    });
    expect(draft.body).toMatchObject({ status: 'draft', messageCount: 1 });
    expect(await inbound(a(), OPTED_OUT_NUMBER, 'acha')).toBe(200);
    sms.reset();
    expect((await api(a(), 'POST', `/api/v1/sms/campaigns/${draft.body.id}/send`)).status).toBe(200);
    await runSenders();
    expect(sms.messages()).toHaveLength(0);
    const messages = await allMessages(a(), draft.body.id);
    expect(messages).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const view = await api(a(), 'GET', `/api/v1/sms/campaigns/${draft.body.id}`);
    expect(view.body.status).toBe('completed');
  });
});

describe('isolation and tiers', () => {
  it('shows ISP B nothing of ISP A’s campaigns, and A’s callback path refuses B’s token', async () => {
    const listA = await api(a(), 'GET', '/api/v1/sms/campaigns');
    const someCampaign = listA.body.items[0].id as string;
    expect((await api(b(), 'GET', `/api/v1/sms/campaigns/${someCampaign}`)).status).toBe(404);
    expect((await api(b(), 'GET', `/api/v1/sms/campaigns/${someCampaign}/messages`)).status).toBe(404);
    expect((await api(b(), 'GET', '/api/v1/sms/campaigns')).body.items).toEqual([]);
    expect((await api(b(), 'GET', '/api/v1/sms/opt-outs')).body.items).toEqual([]);
    const tokenOfB = callbackUrlsOf(b()).delivery.split('/').at(-2)!;
    const crossed = callbackUrlsOf(a()).delivery.replace(
      /\/[0-9a-f]{32}\/delivery$/,
      `/${tokenOfB}/delivery`,
    );
    expect(await postForm(crossed, { id: 'x', status: 'Success', phoneNumber: '+254711000000' })).toBe(404);
  });

  it('answers a Tier 1 ISP 403 feature_not_in_tier naming Tier 2', async () => {
    await kiunga.databases.platform.run(
      `UPDATE tenants SET tier = 'tier1', feature_choice = 'hotspot' WHERE id = ?`,
      [b().id],
    );
    const refused = await api(b(), 'POST', '/api/v1/sms/campaigns/preview', {
      template: 'Hi',
      segment: { kind: 'all' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('feature_not_in_tier');
    expect(refused.body.error.message).toMatch(/Tier 2/);
  });
});
