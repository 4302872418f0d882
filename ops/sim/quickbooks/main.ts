// `node --import tsx ops/sim/quickbooks/main.ts [--port 8093] [--realm-id 9130355555555555]`
import { runSimulatorMain } from '../run';
import { QUICKBOOKS_TEST_APP } from './connect-client';
import { startQuickBooksSimulator } from './quickbooks-simulator';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const simulator = await startQuickBooksSimulator({
    ...QUICKBOOKS_TEST_APP,
    port: Number(argument('--port', '8093')),
    realmId: argument('--realm-id', QUICKBOOKS_TEST_APP.realmId),
    redirectUris: [argument('--redirect-uri', QUICKBOOKS_TEST_APP.redirectUris[0])],
  });
  process.stderr.write(
    `QuickBooks simulator on ${simulator.baseUrl} (authorize ${simulator.authorizeUrl}, token ${simulator.tokenUrl})\n`,
  );
  return simulator;
}

runSimulatorMain(main);
