// Command line for the GenieACS NBI simulator: serves the NBI REST API over three simulated CPEs on loopback.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startGenieAcsSimulator } from './genieacs-simulator';

/** GenieACS's own NBI port, so `node --import tsx ops/sim/genieacs/main.ts` stands in for it with no flags. */
const DEFAULT_PORT = '7557';

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: DEFAULT_PORT },
      username: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  if (Boolean(values.username) !== Boolean(values.password))
    throw new Error('give --username and --password together');
  const simulator = await startGenieAcsSimulator({
    host: values.host,
    port,
    ...(values.username && values.password
      ? { auth: { username: values.username, password: values.password } }
      : {}),
  });
  process.stderr.write(`GenieACS NBI simulator on ${simulator.baseUrl}\n`);
  return simulator;
}

runSimulatorMain(main);
