// The real TXT lookup client (node's resolver pointed at KIUNGA_DNS_SERVER) against the DNS stand-in on
// loopback, and the stand-in's strictness on the wire, queried raw over UDP.
import { createSocket } from 'node:dgram';
import {
  decideVerification,
  PENDING_DOMAIN,
  verificationRecordFor,
  verificationTokenFromBytes,
} from '@kiunga/control-api/features/domains';
import { createTxtLookup, dnsServerAddressSchema } from '@kiunga/control-api/integrations/dns';
import dns2 from 'dns2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type DnsSimulator, startDnsSimulator } from './dns-simulator';

const { Packet } = dns2;
const NAME = '_kiunga-verify.wifi.example.co.ke';
const VALUE = `kiunga-verify=${'ab'.repeat(16)}`;
/** Short, so the "no answer" cases finish quickly; generous enough for a loaded machine otherwise. */
const QUICK_TIMEOUT_MS = 1_500;

let simulator: DnsSimulator;

beforeAll(async () => {
  simulator = await startDnsSimulator({ port: 0 });
});

afterAll(async () => {
  await simulator?.stop();
});

beforeEach(() => simulator.reset());

const lookup = (name: string, timeoutMs = 5_000) =>
  createTxtLookup({ server: simulator.address, timeoutMs })(name);

/** One raw UDP exchange, for what node's resolver would never send. */
async function rawQuery(message: Buffer): Promise<InstanceType<typeof Packet> | null> {
  const socket = createSocket('udp4');
  try {
    return await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), QUICK_TIMEOUT_MS);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        resolve(Packet.parse(reply));
      });
      socket.send(message, simulator.port, simulator.host);
    });
  } finally {
    socket.close();
  }
}

function query(name: string, options: { opcode?: number; questions?: number; type?: number } = {}): Buffer {
  const packet = new Packet();
  packet.header.id = 4242;
  packet.header.rd = 1;
  packet.header.opcode = options.opcode ?? 0;
  for (let index = 0; index < (options.questions ?? 1); index += 1) {
    packet.questions.push(new Packet.Question(name, options.type ?? Packet.TYPE.TXT, Packet.CLASS.IN));
  }
  return packet.toBuffer();
}

describe('createTxtLookup against the DNS stand-in', () => {
  it('finds a published TXT record over UDP', async () => {
    simulator.setTxt(NAME, ['v=spf1 -all', VALUE]);
    const result = await lookup(NAME);
    expect(result).toEqual({ kind: 'found', records: expect.arrayContaining(['v=spf1 -all', VALUE]) });
    // One query; a retry on a loaded machine would be the same query again.
    expect(new Set(simulator.queries().map((query) => JSON.stringify(query)))).toEqual(
      new Set([JSON.stringify({ name: NAME, type: 'TXT', transport: 'udp', rcode: 'NOERROR' })]),
    );
  });

  it('matches names without regard to case', async () => {
    simulator.setTxt(NAME.toUpperCase(), [VALUE]);
    expect(await lookup(NAME)).toEqual({ kind: 'found', records: [VALUE] });
  });

  it('joins a value split into 255-octet strings, and follows a truncated answer over TCP', async () => {
    const longValues = ['a', 'b', 'c'].map((letter) => letter.repeat(300));
    simulator.setTxt(NAME, longValues);
    const result = await lookup(NAME);
    expect(result.kind).toBe('found');
    expect(result.kind === 'found' ? [...result.records].sort() : []).toEqual(longValues);
    // 900+ octets do not fit a 512-octet UDP answer: TC set, the resolver asks again over TCP.
    expect(simulator.queries().map((entry) => entry.transport)).toContain('tcp');
  });

  it('answers not_found for a name with nothing, and for an empty non-terminal above a record', async () => {
    simulator.setTxt(NAME, [VALUE]);
    expect(await lookup('_kiunga-verify.other.example.co.ke')).toEqual({ kind: 'not_found' });
    expect(await lookup('wifi.example.co.ke')).toEqual({ kind: 'not_found' });
    const rcodeByName = new Map(simulator.queries().map((entry) => [entry.name, entry.rcode]));
    expect(rcodeByName.get('_kiunga-verify.other.example.co.ke')).toBe('NXDOMAIN');
    expect(rcodeByName.get('wifi.example.co.ke')).toBe('NOERROR');
  });

  it('reports SERVFAIL and REFUSED as failed lookups, not as a missing record', async () => {
    simulator.setTxt(NAME, [VALUE]);
    simulator.setBehaviour(NAME, 'servfail');
    expect(await lookup(NAME)).toMatchObject({ kind: 'failed', failure: 'server_failure' });
    simulator.setBehaviour(NAME, 'refused');
    expect(await lookup(NAME)).toMatchObject({ kind: 'failed', failure: 'refused' });
  });

  it('gives up within its timeout when the server never answers', async () => {
    simulator.setTxt(NAME, [VALUE]);
    simulator.setBehaviour(NAME, 'drop');
    expect(await lookup(NAME, QUICK_TIMEOUT_MS)).toMatchObject({ kind: 'failed', failure: 'timeout' });
    expect(simulator.queries().every((entry) => entry.rcode === 'DROPPED')).toBe(true);
  });

  it('answers again once a one-time behaviour is used up', async () => {
    simulator.setTxt(NAME, [VALUE]);
    simulator.setBehaviour(NAME, 'servfail', 1);
    expect((await lookup(NAME)).kind).toBe('failed');
    expect(await lookup(NAME)).toEqual({ kind: 'found', records: [VALUE] });
    expect(simulator.queries().map((entry) => entry.rcode)).toEqual(['SERVFAIL', 'NOERROR']);
    // (c-ares takes SERVFAIL as final and does not retry it, so the one-time behaviour meets one query.)
  });

  it('fails, without throwing, when nothing listens at the configured address', async () => {
    const stopped = await startDnsSimulator({ port: 0 });
    await stopped.stop();
    const result = await createTxtLookup({ server: stopped.address, timeoutMs: QUICK_TIMEOUT_MS })(NAME);
    expect(result.kind).toBe('failed');
  });

  it('verifies a custom domain end to end: the ISP publishes its record, the decision follows', async () => {
    const record = verificationRecordFor(
      'wifi.example.co.ke',
      verificationTokenFromBytes(Buffer.alloc(16, 7)),
    );
    const nowMs = Date.UTC(2030, 2, 14);
    const before = decideVerification(PENDING_DOMAIN, await lookup(record.name), record.value, nowMs);
    expect(before).toMatchObject({ reason: 'record_missing', state: { status: 'pending' } });
    simulator.setTxt(record.name, [record.value]);
    const after = decideVerification(before.state, await lookup(record.name), record.value, nowMs + 60_000);
    expect(after).toMatchObject({
      reason: 'record_found',
      isStatusChanged: true,
      state: { status: 'verified' },
    });
  });
});

describe('KIUNGA_DNS_SERVER', () => {
  it('takes an IP address with an optional port, and nothing else', () => {
    for (const value of ['127.0.0.1:5353', '[::1]:5353', '10.0.0.53', '::1', ' 127.0.0.1:53 ']) {
      expect(dnsServerAddressSchema.safeParse(value).success, value).toBe(true);
    }
    for (const value of ['dns.example.com:53', '127.0.0.1:99999', '127.0.0.1:', '[::1', '', '1.2.3:53']) {
      expect(dnsServerAddressSchema.safeParse(value).success, value).toBe(false);
    }
    expect(() => createTxtLookup({ server: 'dns.example.com' })).toThrow(RangeError);
  });
});

describe('the DNS stand-in on the wire', () => {
  it('answers authoritatively with the query id and question echoed', async () => {
    simulator.setTxt(NAME, [VALUE]);
    const reply = await rawQuery(query(NAME));
    expect(reply?.header).toMatchObject({ id: 4242, qr: 1, aa: 1, rcode: Packet.RCODE.NOERROR });
    expect(reply?.questions[0]?.name).toBe(NAME);
    expect(reply?.answers[0]).toMatchObject({ type: Packet.TYPE.TXT, data: [VALUE] });
  });

  it('answers NOERROR with no data for another type at an existing name', async () => {
    simulator.setTxt(NAME, [VALUE]);
    const reply = await rawQuery(query(NAME, { type: Packet.TYPE.A }));
    expect(reply?.header.rcode).toBe(Packet.RCODE.NOERROR);
    expect(reply?.answers).toEqual([]);
  });

  it('refuses what a real server refuses: two questions, another opcode', async () => {
    expect((await rawQuery(query(NAME, { questions: 2 })))?.header.rcode).toBe(Packet.RCODE.FORMERR);
    expect((await rawQuery(query(NAME, { opcode: 2 })))?.header.rcode).toBe(Packet.RCODE.NOTIMP);
  });

  it('stays silent for a message too short to hold a header', async () => {
    expect(await rawQuery(Buffer.from([1, 2, 3]))).toBeNull();
  });
});
