// Command line for the SMS gateway simulator: serves Africa's Talking's bulk SMS API on loopback.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startSmsSimulator } from './sms-simulator';

/** So `node --import tsx ops/sim/sms/main.ts` works with no flags. */
const DEFAULTS = { port: '8091', username: 'sandbox', apiKey: 'kiunga-sim-sms-key' } as const;

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: DEFAULTS.port },
      username: { type: 'string', default: DEFAULTS.username },
      'api-key': { type: 'string', default: DEFAULTS.apiKey },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  const simulator = await startSmsSimulator({
    host: values.host,
    port,
    accounts: [{ username: values.username, apiKey: values['api-key'] }],
  });
  process.stderr.write(`SMS gateway simulator on ${simulator.baseUrl} (username ${values.username})\n`);
  return simulator;
}

runSimulatorMain(main);
