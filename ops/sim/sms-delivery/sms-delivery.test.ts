// A campaign through the real SMS client and the SMS gateway simulator on loopback, then Africa's Talking
// delivery reports posted to a callback that reads them with the control-api's parser.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  applyDeliveryReport,
  applyMessageEvent,
  type CampaignMessage,
  newCampaignRun,
  parseDeliveryReport,
  parseTemplate,
  planNextStep,
  renderCampaign,
  requestResultOfAnswer,
  requestResultOfError,
  settleRequest,
  startCampaign,
} from '@kiunga/control-api/features/sms-campaigns';
import { type DeliveryReport, SmsClient } from '@kiunga/control-api/integrations/sms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmsSimulator, startSmsSimulator } from '../sms/sms-simulator';
import { deliveryReportsFor, postDeliveryReport, reportDeliveries } from './delivery-reports';

const ACCOUNT = { username: 'kiunga-test', apiKey: 'test-api-key' };
const START_MS = Date.UTC(2026, 1, 10, 6);

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

/** Sends every queued message as the sender job will, on a clock that jumps over waits. */
async function sendCampaign(messages: Map<string, CampaignMessage>): Promise<void> {
  const client = new SmsClient({ baseUrl: simulator.baseUrl, ...ACCOUNT, timeoutMs: 5_000 });
  let nowMs = START_MS;
  let run = startCampaign(newCampaignRun(4), nowMs);
  for (let turn = 0; turn < 100; turn += 1) {
    const queued = [...messages.values()].filter((message) => message.status === 'queued');
    const due = queued.filter(
      (message) => message.nextAttemptAtMs === null || message.nextAttemptAtMs <= nowMs,
    );
    const step = planNextStep(
      run,
      {
        due: due.slice(0, run.ratePerSecond),
        queuedCount: queued.length,
        sendingCount: 0,
        earliestRetryAtMs: null,
      },
      nowMs,
    );
    if (step.kind === 'complete') return;
    if (step.kind !== 'send') {
      nowMs = step.kind === 'wait' ? step.untilMs : nowMs + 1_000;
      continue;
    }
    run = { ...run, nextBatchAtMs: step.nextBatchAtMs };
    for (const request of step.requests) {
      for (const id of request.messageIds)
        messages.set(id, applyMessageEvent(messages.get(id)!, { type: 'claim', atMs: nowMs }));
      const result = await client
        .send({ to: request.to, message: request.text })
        .then(requestResultOfAnswer, requestResultOfError);
      const settlement = settleRequest(run, request, result, nowMs);
      run = settlement.run;
      for (const { messageId, event } of settlement.events) {
        messages.set(messageId, applyMessageEvent(messages.get(messageId)!, event));
      }
    }
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
    const messages = new Map<string, CampaignMessage>(
      rendered.messages.map((draft) => [
        draft.recipientId,
        {
          id: draft.recipientId,
          to: draft.to,
          text: draft.text,
          parts: draft.parts,
          status: 'queued',
          attempts: 0,
          nextAttemptAtMs: null,
          claimedAtMs: null,
          providerMessageId: null,
          lastError: null,
        },
      ]),
    );
    await sendCampaign(messages);
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
