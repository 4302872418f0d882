// Command line for the NAS simulator: listens on loopback and prints each CoA/Disconnect request as a JSON line.
import { parseArgs } from 'node:util';
import { describePacket } from '@kiunga/aaa-server/codec';
import { runSimulatorMain } from '../run';
import { parseBehaviour, type ReceivedRequest, startNasSimulator } from './nas-simulator';

/** RFC 5176 §3: the port a NAS listens on for Dynamic Authorization. */
const COA_PORT_DEFAULT = 3799;
const PACKET_NAMES: Readonly<Record<number, string>> = { 40: 'Disconnect-Request', 43: 'CoA-Request' };

function describeValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function toJsonLine(request: ReceivedRequest): string {
  const attributes = describePacket(request.packet);
  return JSON.stringify({
    at: new Date(request.at).toISOString(),
    packet: PACKET_NAMES[request.code] ?? String(request.code),
    identifier: request.identifier,
    from: `${request.from.address}:${request.from.port}`,
    outcome: request.outcome,
    attributes: Object.fromEntries(attributes.map((item) => [item.name, describeValue(item.value)])),
  });
}

async function main(): Promise<{ stop(): Promise<unknown> }> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(COA_PORT_DEFAULT) },
      secret: { type: 'string' },
      behaviour: { type: 'string', default: 'ack' },
    },
  });
  if (values.secret === undefined) throw new Error('--secret is required');
  const port = Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be 0..65535');
  const simulator = await startNasSimulator({
    host: values.host,
    coaPort: port,
    secret: values.secret,
    behaviour: parseBehaviour(values.behaviour),
    onRequest: (request) => process.stdout.write(`${toJsonLine(request)}\n`),
  });
  process.stderr.write(
    `NAS simulator listening on ${simulator.host}:${simulator.port} (${values.behaviour})\n`,
  );
  return { stop: () => simulator.close() };
}

runSimulatorMain(main);
