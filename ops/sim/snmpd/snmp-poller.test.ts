// The real SNMP poller against Debian's real snmpd on a loopback port, with values pinned where a test must know them.
import { createSocket, type Socket } from 'node:dgram';
import { pollNasHealth, type SnmpHealthSample, SnmpPollError } from '@kiunga/control-api/integrations/snmp';
import { ManualClock } from '@kiunga/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SnmpAgent, startSnmpAgent } from './snmpd-agent';

const COMMUNITY = 'kiunga-test-community';
/** net-snmp numbers processors 196608 + n (hrDeviceProcessor << 16) in hrDeviceTable. */
const PROCESSOR_LOAD = '.1.3.6.1.2.1.25.3.3.1.2';
/** net-snmp's "Physical memory" is hrStorageTable row 1, of type hrStorageRam. */
const RAM_ROW = 1;
/** A MikroTik-like dynamic PPPoE interface: RouterOS numbers them from 8388608 up. */
const PPPOE_INDEX = 8388611;
/** Short timeouts where no answer is the expected outcome. */
const QUICK = { attemptTimeoutMs: 200, attempts: 2 } as const;

let agent: SnmpAgent;
const clock = new ManualClock(Date.UTC(2030, 2, 14, 7));

beforeAll(async () => {
  agent = await startSnmpAgent({
    community: COMMUNITY,
    overrides: [
      { oid: `${PROCESSOR_LOAD}.196608`, type: 'integer', value: 30 },
      { oid: `${PROCESSOR_LOAD}.196609`, type: 'integer', value: 55 },
      { oid: `.1.3.6.1.2.1.25.2.3.1.4.${RAM_ROW}`, type: 'integer', value: 1024 },
      { oid: `.1.3.6.1.2.1.25.2.3.1.5.${RAM_ROW}`, type: 'integer', value: 262_144 },
      { oid: `.1.3.6.1.2.1.25.2.3.1.6.${RAM_ROW}`, type: 'integer', value: 65_536 },
      { oid: `.1.3.6.1.2.1.31.1.1.1.1.${PPPOE_INDEX}`, type: 'octet_str', value: '<pppoe-alice>' },
      { oid: `.1.3.6.1.2.1.2.2.1.10.${PPPOE_INDEX}`, type: 'counter', value: 4_294_967_000 },
      { oid: `.1.3.6.1.2.1.2.2.1.16.${PPPOE_INDEX}`, type: 'counter', value: 5_678 },
    ],
  });
});

afterAll(async () => {
  await agent?.stop();
});

function target(community = COMMUNITY, port = agent.port) {
  return { host: agent.host, port, community, version: '2c' as const };
}

async function pollError(promise: Promise<SnmpHealthSample>): Promise<SnmpPollError> {
  const error = await promise.then(
    () => new Error('the poll succeeded'),
    (caught: unknown) => caught,
  );
  if (!(error instanceof SnmpPollError)) throw error;
  return error;
}

describe('pollNasHealth against snmpd', () => {
  it('reads uptime, the mean CPU load, RAM and every interface with its octet counters', async () => {
    const sample = await pollNasHealth(target(), { clock });
    expect(sample.polledAtMs).toBe(clock.now());
    // The agent started moments ago.
    expect(sample.sysUpTimeSeconds).toBeGreaterThanOrEqual(0);
    expect(sample.sysUpTimeSeconds).toBeLessThan(600);
    expect(sample.processorCount).toBe(2);
    expect(sample.cpuLoadPercent).toBe(42.5);
    expect(sample.memory).toEqual({ totalBytes: 268_435_456, usedBytes: 67_108_864 });
    expect(sample.isInterfaceListTruncated).toBe(false);
    const loopback = sample.interfaces.find((item) => item.name === 'lo');
    expect(loopback?.counterBits).toBe(64);
    expect(loopback?.inOctets).toBeGreaterThan(0n);
    expect(sample.interfaces.find((item) => item.index === PPPOE_INDEX)).toEqual({
      index: PPPOE_INDEX,
      name: '<pppoe-alice>',
      inOctets: 4_294_967_000n,
      outOctets: 5_678n,
      counterBits: 32,
    });
  });

  it('polls the same agent again, its counters and uptime never going backwards', async () => {
    const first = await pollNasHealth(target(), { clock });
    const second = await pollNasHealth(target(), { clock });
    const octets = (sample: SnmpHealthSample) =>
      sample.interfaces.find((item) => item.name === 'lo')?.inOctets ?? 0n;
    // net-snmp caches interface statistics for a few seconds, so the two may be equal.
    expect(octets(second)).toBeGreaterThanOrEqual(octets(first));
    expect(second.sysUpTimeSeconds).toBeGreaterThanOrEqual(first.sysUpTimeSeconds);
  });

  it('reads at most interfacesMax interfaces and says the list was cut', async () => {
    const sample = await pollNasHealth(target(), { clock, interfacesMax: 1 });
    expect(sample.interfaces).toHaveLength(1);
    expect(sample.isInterfaceListTruncated).toBe(true);
  });

  it('times out on a wrong community, which snmpd drops without a word', async () => {
    const error = await pollError(pollNasHealth(target('not-the-community'), { clock, ...QUICK }));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not answer');
  });

  it('times out at the poll deadline even while retransmissions remain', async () => {
    const error = await pollError(
      pollNasHealth(target('not-the-community'), {
        clock,
        attemptTimeoutMs: 2_000,
        attempts: 2,
        deadlineMs: 300,
      }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('within 300 ms');
  });
});

describe('pollNasHealth against something that is not an SNMP agent', () => {
  let responder: Socket;
  let responderPort = 0;

  beforeAll(async () => {
    responder = createSocket('udp4');
    responder.on('message', (_message, peer) =>
      responder.send(Buffer.from('HTTP/1.1 400'), peer.port, peer.address),
    );
    await new Promise<void>((resolve) => responder.bind(0, '127.0.0.1', resolve));
    responderPort = responder.address().port;
  });

  afterAll(() => {
    responder?.close();
  });

  it('calls unreadable answers an invalid response and keeps the process alive', async () => {
    const error = await pollError(pollNasHealth(target(COMMUNITY, responderPort), { clock, ...QUICK }));
    expect(error.kind).toBe('invalid_response');
  });
});
