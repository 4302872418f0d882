// A campaign through the real SMS client and the SMS gateway simulator on loopback, then Africa's Talking
// delivery reports posted to a callback that reads them with the control-api's parser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyDeliveryReport,
  InMemoryCampaignStore,
  newCampaignRun,
  parseDeliveryReport,
  parseTemplate,
  queuedMessage,
  renderCampaign,
  requestResultOfAnswer,
  requestResultOfError,
  runSenderTurn,
  type SendRequest,
  startCampaign,
} from '@kiunga/control-api/features/sms-campaigns';
import { type DeliveryReport, SmsClient } from '@kiunga/control-api/integrations/sms';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmsSimulator, startSmsSimulator } from '../sms/sms-simulator';
import { deliveryReportsFor, postDeliveryReport, reportDeliveries } from './delivery-reports';

const ACCOUNT = { username: 'kiunga-test', apiKey: 'test-api-key' };
const START_MS = Date.UTC(2026, 1, 10, 6);
/** Six messages at four a second take a handful of turns; far more means the job is stuck. */
const TURNS_MAX = 100;

interface Receiver {
  readonly url: string;
  readonly reports: DeliveryReport[];
  readonly refused: string[];
  stop(): Promise<void>;
}

/** The ISP's callback route in miniature: parse, keep, answer 200 (400 for what it cannot read). */
async function startReceiver(): Promise<Receiver> {
  const reports: DeliveryReport[] = [];
  const refused: string[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const isForm = request.headers['content-type'] === 'application/x-www-form-urlencoded';
      const parsed = parseDeliveryReport(isForm ? body : null);
      if (parsed.ok) reports.push(parsed.report);
      else refused.push(parsed.problem);
      response.writeHead(parsed.ok ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks/sms/delivery`,
    reports,
    refused,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let simulator: SmsSimulator;
let receiver: Receiver;

beforeAll(async () => {
  simulator = await startSmsSimulator({ port: 0, accounts: [ACCOUNT] });
  receiver = await startReceiver();
});

afterAll(async () => {
  await simulator?.stop();
  await receiver?.stop();
});

/** Sends every queued message through the sender job's turns, on a clock that jumps over waits. */
async function sendCampaign(store: InMemoryCampaignStore): Promise<void> {
  const client = new SmsClient({ baseUrl: simulator.baseUrl, ...ACCOUNT, timeoutMs: 5_000 });
  const send = (request: SendRequest) =>
    client.send({ to: request.to, message: request.text }).then(requestResultOfAnswer, requestResultOfError);
  const clock = new ManualClock(START_MS);
  for (let turn = 0; turn < TURNS_MAX; turn += 1) {
    const step = await runSenderTurn({ store, send, clock });
    if (step.kind === 'complete') return;
    if (step.kind === 'idle') throw new Error('the campaign paused');
    if (step.kind === 'wait') clock.set(step.untilMs);
  }
  throw new Error('the campaign did not complete');
}

describe('delivery reports for a campaign sent through the SMS simulator', () => {
  it('ends each message delivered, undelivered with the telco’s reason, still on its way, or failed at send', async () => {
    const template = parseTemplate('Hello {{name}}, your {{plan}} plan renews soon. Pay to {{paybill}}.');
    if (!template.ok) throw new Error('template');
    const numbers = ['0712000001', '0712000002', '0700000601', '0700000602', '0700000603', '0700000403'];
    const rendered = renderCampaign({
      template: template.template,
      recipients: numbers.map((phone, index) => ({
        recipientId: `sub_${index}`,
        phone,
        name: `Client ${index}`,
        planName: 'Home',
        expiresAtMs: null,
        amountDueCents: 0,
        accountNumber: null,
      })),
      context: { paybill: '522533' },
      optedOutPhones: new Set(),
    });
    const store = new InMemoryCampaignStore(
      startCampaign(newCampaignRun(4), START_MS),
      rendered.messages.map((draft) => queuedMessage({ id: draft.recipientId, ...draft })),
    );
    await sendCampaign(store);
    const messages = new Map(store.all().map((message) => [message.id, message]));
    expect(simulator.messages()).toHaveLength(6);

    const run = await reportDeliveries({
      callbackUrl: receiver.url,
      messages: simulator.delivered(),
      withIntermediate: true,
    });
    expect(run.posted).toBe(9);
    expect(run.answers.get(200)).toBe(9);
    expect(receiver.refused).toEqual([]);
    for (const report of receiver.reports) {
      const message = [...messages.values()].find((candidate) => candidate.providerMessageId === report.id)!;
      messages.set(message.id, applyDeliveryReport(message, report));
    }
    expect([...messages.values()].map((message) => [message.to, message.status, message.lastError])).toEqual([
      ['+254712000001', 'delivered', null],
      ['+254712000002', 'delivered', null],
      ['+254700000601', 'undelivered', 'UserDoesNotExist'],
      ['+254700000602', 'undelivered', 'UserInBlackList'],
      ['+254700000603', 'sent', null],
      ['+254700000403', 'failed', 'InvalidPhoneNumber'],
    ]);
    const safaricom = receiver.reports.find((report) => report.phoneNumber === '+254712000001');
    expect(safaricom).toMatchObject({ networkCode: '63902' });
  });

  it('refuses to build what the gateway never sends', async () => {
    expect(() =>
      deliveryReportsFor(
        { messageId: 'ATXid_1', to: '+254712000001' },
        { outcome: { status: 'Success', failureReason: 'DeliveryFailure' } },
      ),
    ).toThrow(/failureReason/);
    expect(() =>
      deliveryReportsFor({ messageId: 'ATXid_1', to: '+254712000001' }, { outcome: { status: 'Failed' } }),
    ).toThrow(/failureReason/);
    await expect(
      postDeliveryReport(receiver.url, {
        id: '',
        status: 'Success',
        phoneNumber: '+254712000001',
        networkCode: '63902',
      }),
    ).rejects.toThrow();
  });
});
