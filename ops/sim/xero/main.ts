// `node --import tsx ops/sim/xero/main.ts [--port 8094] [--tenant-id <uuid>]`
import { runSimulatorMain } from '../run';
import { XERO_TEST_APP } from './connect-client';
import { startXeroSimulator } from './xero-simulator';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const simulator = await startXeroSimulator({
    ...XERO_TEST_APP,
    port: Number(argument('--port', '8094')),
    tenantId: argument('--tenant-id', XERO_TEST_APP.tenantId),
    redirectUris: [argument('--redirect-uri', XERO_TEST_APP.redirectUris[0])],
  });
  process.stderr.write(
    `Xero simulator on ${simulator.baseUrl} (authorize ${simulator.authorizeUrl}, token ${simulator.tokenUrl})\n`,
  );
  return simulator;
}

runSimulatorMain(main);
