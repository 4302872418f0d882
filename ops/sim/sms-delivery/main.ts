// Command line: watches the SMS gateway simulator and posts Africa's Talking delivery reports for every
// message it delivered to a callback URL, as the gateway does once the telco answers.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { deliveryReportsFor, postDeliveryReport } from './delivery-reports';

/** So `node --import tsx ops/sim/sms-delivery/main.ts --callback-url …` works with the SMS simulator's defaults. */
const DEFAULTS = { smsUrl: 'http://127.0.0.1:8091', intervalMs: '2000' } as const;
/** Message ids remembered as reported; the SMS simulator itself keeps at most 10,000 messages. */
const REPORTED_IDS_MAX = 20_000;

interface SimulatorMessages {
  messages: { messageId: string | null; to: string; statusCode: number }[];
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      'sms-url': { type: 'string', default: DEFAULTS.smsUrl },
      'callback-url': { type: 'string' },
      'interval-ms': { type: 'string', default: DEFAULTS.intervalMs },
      intermediate: { type: 'boolean', default: false },
    },
  });
  const callbackUrl = values['callback-url'];
  if (!callbackUrl) throw new Error('--callback-url is required (the ISP’s delivery report URL)');
  const intervalMs = Number.parseInt(values['interval-ms'], 10);
  if (!Number.isInteger(intervalMs) || intervalMs < 100)
    throw new Error('--interval-ms must be at least 100');
  const reported = new Set<string>();
  const poll = async () => {
    const response = await fetch(`${values['sms-url']}/__sim/messages`);
    const { messages } = (await response.json()) as SimulatorMessages;
    for (const message of messages) {
      if (message.messageId === null || message.statusCode !== 101 || reported.has(message.messageId))
        continue;
      if (reported.size >= REPORTED_IDS_MAX) reported.clear();
      reported.add(message.messageId);
      const reports = deliveryReportsFor(
        { messageId: message.messageId, to: message.to },
        { withIntermediate: values.intermediate },
      );
      for (const report of reports) {
        const status = await postDeliveryReport(callbackUrl, report);
        process.stderr.write(`${report.id} ${report.status} → HTTP ${status}\n`);
      }
    }
  };
  let isPolling = false;
  const timer = setInterval(() => {
    if (isPolling) return;
    isPolling = true;
    poll()
      .catch((error: unknown) =>
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`),
      )
      .finally(() => {
        isPolling = false;
      });
  }, intervalMs);
  process.stderr.write(`Posting delivery reports for ${values['sms-url']} to ${callbackUrl}\n`);
  return { stop: async () => clearInterval(timer) };
}

runSimulatorMain(main);
