// Command line for the DNS stand-in: answers TXT queries from --txt NAME=VALUE pairs on loopback.
import { parseArgs } from 'node:util';
import { runSimulatorMain } from '../run';
import { startDnsSimulator } from './dns-simulator';

/** So `node --import tsx ops/sim/dns/main.ts` works with no flags (5353 needs no root, unlike 53). */
const DEFAULT_PORT = '5353';

/** `_kiunga-verify.wifi.example.co.ke=kiunga-verify=ab12…` splits at the first `=` only. */
function parseTxtFlags(flags: readonly string[]): Record<string, string[]> {
  const records: Record<string, string[]> = {};
  for (const flag of flags) {
    const separator = flag.indexOf('=');
    if (separator <= 0) throw new Error(`--txt takes NAME=VALUE, got ${flag}`);
    const name = flag.slice(0, separator);
    records[name] = [...(records[name] ?? []), flag.slice(separator + 1)];
  }
  return records;
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: DEFAULT_PORT },
      txt: { type: 'string', multiple: true, default: [] },
    },
  });
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  const simulator = await startDnsSimulator({
    host: values.host,
    port,
    txtRecords: parseTxtFlags(values.txt),
  });
  process.stderr.write(
    `DNS stand-in on ${simulator.address} (UDP and TCP): KIUNGA_DNS_SERVER=${simulator.address}\n`,
  );
  return simulator;
}

runSimulatorMain(main);
