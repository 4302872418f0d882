// Times an SMS campaign of 10,000 messages through the pure core: render and preview (template, GSM-7 or
// UCS-2 parts, cost), then the sender job's plan and settlement of every message. With --simulator it
// also sends them through the real SMS client to the SMS gateway simulator on loopback and reports sends
// per second and the heap along the way (run with --expose-gc for heap figures after collection).
// With --sql the simulator run goes through the integration instead: the SQL store (SQLite in a temporary
// data dir, or PostgreSQL when KIUNGA_DATABASE_URL is set) and the sender job's loop (sendCampaign), with
// the process's RSS printed along the run.
// Run: node --expose-gc --import tsx ops/bench/sms/campaign.bench.ts [--messages 10000] [--simulator [--sql]] [--concurrency 8]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type CampaignRecipient,
  InMemoryCampaignStore,
  type MessageStatus,
  newCampaignRun,
  parseTemplate,
  previewCampaign,
  queuedMessage,
  RATE_PER_SECOND_MAX,
  type RenderedCampaign,
  renderCampaign,
  requestResultOfAnswer,
  requestResultOfError,
  runSenderTurn,
  type SendRequestFunction,
  startCampaign,
} from '@kiunga/control-api/features/sms-campaigns';
import {
  campaignTotals,
  gatewaySender,
  insertCampaign,
  sendCampaign,
} from '@kiunga/control-api/features/sms-campaigns/integration';
import { SmsClient } from '@kiunga/control-api/integrations/sms';
import { ManualClock, openDatabases } from '@kiunga/schemas';
import { randomBelow, seededRandom } from '../seeded-random';

const MESSAGES_DEFAULT = 10_000;
const CONCURRENCY_DEFAULT = 8;
const START_MS = Date.UTC(2026, 2, 1, 6);
const DAY_MS = 86_400_000;
/** KES 0.80 per part, Africa's Talking's Kenyan bulk rate as the simulator answers it. */
const PART_PRICE_CENTS = 80;
/** Heap samples along a run: enough to see a trend. */
const HEAP_SAMPLES = 10;
/** Recipients rendered once before timing. */
const WARM_UP_RECIPIENTS = 1_000;
const TEMPLATE =
  'Hello {{name|customer}}, your {{plan}} plan expires {{expiry}}. Pay {{balance}} to paybill {{paybill}}, ' +
  'account {{accountNumber}}. Reply STOP to opt out.';
const NAMES = [
  'Wanjiru',
  'Otieno',
  'Achieng',
  'Kamau',
  'Njeri',
  'Mwangi',
  'Chebet',
  'Kiptoo',
  'Auma',
  'Ndungu',
];
const PLANS = ['Home 5 Mbps', 'Home 10 Mbps', 'Business 20 Mbps'];

function recipientsOf(count: number): CampaignRecipient[] {
  const random = seededRandom(0x736d73);
  return Array.from({ length: count }, (_, index) => {
    const name = NAMES[randomBelow(random, NAMES.length)]!;
    return {
      recipientId: `sub_${index}`,
      phone: random() < 0.02 ? null : `07${String(10_000_000 + index).padStart(8, '0')}`,
      // One in twenty names carries a curly apostrophe: those messages go out as UCS-2.
      name: random() < 0.05 ? `${name} O’Brien` : name,
      planName: PLANS[randomBelow(random, PLANS.length)]!,
      expiresAtMs: START_MS + randomBelow(random, 7) * DAY_MS,
      amountDueCents: randomBelow(random, 30) * 10_000,
      accountNumber: `ACC-${index}`,
    };
  });
}

function storeOf(drafts: RenderedCampaign['messages']): InMemoryCampaignStore {
  return new InMemoryCampaignStore(
    startCampaign(newCampaignRun(RATE_PER_SECOND_MAX), START_MS),
    drafts.map((draft) => queuedMessage({ id: draft.recipientId, ...draft })),
  );
}

interface JobResult {
  requests: number;
  batches: number;
  /** Messages by the status they left the sender in. */
  finished: Map<MessageStatus, number>;
}

/**
 * The sender job's turns (runSenderTurn, as production runs them) over the in-memory reference store, the
 * clock jumping over the rate's waits.
 */
async function runJob(
  store: InMemoryCampaignStore,
  send: SendRequestFunction,
  concurrency: number,
  onProgress: (sent: number) => void,
): Promise<JobResult> {
  const clock = new ManualClock(START_MS);
  let requests = 0;
  let batches = 0;
  let planned = 0;
  for (;;) {
    const step = await runSenderTurn({ store, send, clock, concurrency });
    if (step.kind === 'complete' || step.kind === 'idle')
      return { requests, batches, finished: store.countsByStatus() };
    if (step.kind === 'wait') {
      clock.set(step.untilMs);
      continue;
    }
    batches += 1;
    requests += step.requests.length;
    planned += step.requests.reduce((sum, request) => sum + request.messageIds.length, 0);
    onProgress(planned);
  }
}

/** The SMS simulator's command-line defaults (ops/sim/sms/main.ts). */
const SIMULATOR_ACCOUNT = { username: 'sandbox', apiKey: 'kiunga-sim-sms-key' };
/** The simulator says where it listens on stderr within a few seconds of starting (tsx compiles first). */
const SIMULATOR_START_TIMEOUT_MS = 30_000;

interface SimulatorProcess {
  readonly baseUrl: string;
  receivedCount(): Promise<number>;
  stop(): Promise<void>;
}

/** The simulator in its own process, so its record of every message stays out of the sender's heap. */
async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const main = fileURLToPath(new URL('../../sim/sms/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the SMS simulator did not start')),
      SIMULATOR_START_TIMEOUT_MS,
    );
    let said = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      said += chunk;
      const match = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(said);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`the SMS simulator exited (${code}): ${said}`)));
  });
  return {
    baseUrl,
    async receivedCount() {
      const answer = (await (await fetch(`${baseUrl}/__sim/messages`)).json()) as {
        messages: { statusCode: number }[];
      };
      return answer.messages.filter((message) => message.statusCode === 101).length;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round((process.memoryUsage().heapUsed / 1_048_576) * 10) / 10;
}

/** Heap at evenly spaced points of a run. */
function heapSampler(total: number): { samples: number[]; onProgress: (done: number) => void } {
  const samples: number[] = [];
  let nextAt = total / HEAP_SAMPLES;
  return {
    samples,
    onProgress: (done) => {
      if (done >= nextAt) {
        samples.push(heapMiB());
        nextAt += total / HEAP_SAMPLES;
      }
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: String(MESSAGES_DEFAULT) },
      simulator: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: String(CONCURRENCY_DEFAULT) },
      sql: { type: 'boolean', default: false },
    },
  });
  const concurrency = Number(values.concurrency);
  const recipients = recipientsOf(Number(values.messages));
  const parsed = parseTemplate(TEMPLATE);
  if (!parsed.ok) throw new Error('the benchmark template does not parse');

  const render = (some: CampaignRecipient[]) =>
    renderCampaign({
      template: parsed.template,
      recipients: some,
      context: { paybill: '522533' },
      optedOutPhones: new Set(['254710000007', '254710000042']),
    });
  // Warm-up: the first thousand once, so the figure is the steady cost, not the compiler's.
  render(recipients.slice(0, WARM_UP_RECIPIENTS));
  const renderStart = performance.now();
  const rendered = render(recipients);
  const preview = previewCampaign(rendered, PART_PRICE_CENTS);
  const renderMs = performance.now() - renderStart;

  const instant: SendRequestFunction = async (request) => ({
    kind: 'answered',
    recipients: request.to.map((_, index) => ({
      outcome: 'sent',
      statusCode: 101,
      status: 'Success',
      providerMessageId: `AT_${request.messageIds[index]}`,
    })),
  });
  const planStart = performance.now();
  const planned = await runJob(storeOf(rendered.messages), instant, concurrency, () => {});
  const planMs = performance.now() - planStart;

  const report: Record<string, unknown> = {
    recipients: preview.recipientCount,
    messages: preview.messageCount,
    skipped: preview.skipped,
    unicodeMessages: preview.unicodeMessageCount,
    parts: preview.partCount,
    costKsh: preview.costCents / 100,
    renderAndPreviewMs: Math.round(renderMs),
    planAndSettleMs: Math.round(planMs),
    plannedBatches: planned.batches,
    plannedRequests: planned.requests,
    plannedSent: planned.finished.get('sent') ?? 0,
  };
  if (values.simulator && values.sql)
    Object.assign(report, await sendThroughSqlStore(rendered.messages, concurrency));
  else if (values.simulator)
    Object.assign(report, await sendThroughSimulator(rendered.messages, concurrency));
  console.log(JSON.stringify(report, null, 2));
}

function rssMiB(): number {
  return Math.round((process.memoryUsage().rss / 1_048_576) * 10) / 10;
}

/** The simulator's account as the gateway client of the integration takes it (features/notifications/sms-settings.ts). */
const SIMULATOR_SETTINGS = { ...SIMULATOR_ACCOUNT, senderId: null, enabled: true };
const BENCH_TENANT_ID = 'ten_smsbench';
const BENCH_CAMPAIGN_ID = 'smc_bench';

/**
 * The integration's path: the campaign stored in SQL as the API stores it, then the sender job's loop
 * (sendCampaign, runSenderTurn over SqlCampaignStore) sending through the real client to the simulator,
 * the clock jumping over the rate's waits. RSS and heap are sampled every tenth of the messages.
 */
async function sendThroughSqlStore(
  drafts: RenderedCampaign['messages'],
  concurrency: number,
): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-sms-bench-'));
  const databases = await openDatabases({ dataDir, databaseUrl: process.env['KIUNGA_DATABASE_URL'] });
  const simulator = await startSimulatorProcess();
  try {
    await databases.createTenant(BENCH_TENANT_ID);
    const database = databases.forTenant(BENCH_TENANT_ID);
    const positionDigits = String(drafts.length).length;
    const insertStart = performance.now();
    await insertCampaign(
      database,
      {
        id: BENCH_CAMPAIGN_ID,
        name: 'bench',
        template: TEMPLATE,
        segment: '{"kind":"all"}',
        run: startCampaign(newCampaignRun(RATE_PER_SECOND_MAX), START_MS),
        partPriceCents: PART_PRICE_CENTS,
        skippedCount: 0,
        createdBy: null,
        messages: drafts.map((draft, index) => ({
          id: `${BENCH_CAMPAIGN_ID}.${String(index).padStart(positionDigits, '0')}`,
          recipientId: draft.recipientId,
          to: draft.to,
          text: draft.text,
          parts: draft.parts,
        })),
      },
      START_MS,
    );
    const insertMs = performance.now() - insertStart;
    const gateway = gatewaySender(simulator.baseUrl, SIMULATOR_SETTINGS);
    const rss: number[] = [];
    const heap = heapSampler(drafts.length);
    let answered = 0;
    let nextSampleAt = drafts.length / HEAP_SAMPLES;
    const send: SendRequestFunction = async (request) => {
      const result = await gateway(request);
      answered += request.to.length;
      if (answered >= nextSampleAt) {
        rss.push(rssMiB());
        nextSampleAt += drafts.length / HEAP_SAMPLES;
      }
      heap.onProgress(answered);
      return result;
    };
    const clock = new ManualClock(START_MS);
    const rssAtStart = rssMiB();
    const heapAtStart = heapMiB();
    const sendStart = performance.now();
    const last = await sendCampaign(database, BENCH_CAMPAIGN_ID, send, clock, {
      waitUntil: async (untilMs) => clock.set(Math.max(untilMs, clock.now())),
      concurrency,
    });
    const sendMs = performance.now() - sendStart;
    const totals = await campaignTotals(database, BENCH_CAMPAIGN_ID);
    return {
      store: process.env['KIUNGA_DATABASE_URL'] ? 'postgresql' : 'sqlite',
      insertCampaignMs: Math.round(insertMs),
      lastStep: last,
      sqlSent: totals.byStatus.sent,
      sqlByStatus: totals.byStatus,
      simulatorReceived: await simulator.receivedCount(),
      requestConcurrency: concurrency,
      sendMs: Math.round(sendMs),
      sendsPerSecond: Math.round((totals.byStatus.sent / sendMs) * 1_000),
      rssMiBAtStart: rssAtStart,
      rssMiBAlongTheRun: rss,
      heapMiBAtStart: heapAtStart,
      heapMiBAlongTheRun: heap.samples,
    };
  } finally {
    await simulator.stop();
    await databases.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function sendThroughSimulator(
  drafts: RenderedCampaign['messages'],
  concurrency: number,
): Promise<Record<string, unknown>> {
  const simulator = await startSimulatorProcess();
  try {
    const account = SIMULATOR_ACCOUNT;
    const client = new SmsClient({ baseUrl: simulator.baseUrl, ...account, timeoutMs: 15_000 });
    const send: SendRequestFunction = (request) =>
      client
        .send({ to: request.to, message: request.text })
        .then(requestResultOfAnswer, requestResultOfError);
    const store = storeOf(drafts);
    const heap = heapSampler(drafts.length);
    const heapAtStart = heapMiB();
    const sendStart = performance.now();
    const result = await runJob(store, send, concurrency, heap.onProgress);
    const sendMs = performance.now() - sendStart;
    const sent = result.finished.get('sent') ?? 0;
    return {
      simulatorSent: sent,
      simulatorReceived: await simulator.receivedCount(),
      simulatorRequests: result.requests,
      requestConcurrency: concurrency,
      sendMs: Math.round(sendMs),
      sendsPerSecond: Math.round((sent / sendMs) * 1_000),
      heapMiBAtStart: heapAtStart,
      heapMiBAlongTheRun: heap.samples,
    };
  } finally {
    await simulator.stop();
  }
}

await main();
