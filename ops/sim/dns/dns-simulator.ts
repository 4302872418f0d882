// A DNS stand-in for tests and the demo: an authoritative server on a free loopback port (UDP and TCP on
// the same number) answering TXT queries from a table, and as strict as a real one about everything else.
//
// Follows RFC 1035 (§4.1.1 header and RCODEs, §3.3.14 TXT as <character-string>s of at most 255 octets,
// §4.2.1 512-octet UDP answers with TC set when larger, §4.2.2 TCP), RFC 4343 (names compare without case),
// RFC 8020 (an empty non-terminal answers NOERROR with no data, not NXDOMAIN), RFC 6891 (an EDNS OPT in the
// query raises the UDP limit). The wire codec is npm `dns2` 3.1.1 (its Packet and its UDP/TCP servers).
import type { AddressInfo, Socket } from 'node:net';
import dns2 from 'dns2';

const { Packet } = dns2;

/** Seconds a resolver may cache an answer; short, since tests change records as they go. */
const ANSWER_TTL_SECONDS = 60;
/** RFC 1035 §3.3: a <character-string> holds at most 255 octets; longer values are split across several. */
const CHARACTER_STRING_OCTETS_MAX = 255;
/** Queries kept for inspection; past this the oldest are dropped (a test sends a handful). */
export const RECORDED_QUERIES_MAX = 10_000;
/** A free UDP port may be taken on TCP: try a few ports before giving up. */
const PORT_ATTEMPTS_MAX = 10;
/** RFC 1035 §4.1.1 OPCODE 0, a standard query: the only kind answered. */
const OPCODE_QUERY = 0;

/** What the server does for a name instead of answering from the table. */
export type DnsBehaviour = 'servfail' | 'refused' | 'drop';

export interface DnsQueryRecord {
  readonly name: string;
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
  readonly rcode: string;
}

export interface DnsSimulatorOptions {
  readonly host?: string;
  /** 0 (default): any free port, the same number for UDP and TCP. */
  readonly port?: number;
  /** Name → its TXT records (each one value, split into 255-octet strings on the wire). */
  readonly txtRecords?: Readonly<Record<string, readonly string[]>>;
}

export interface DnsSimulator {
  readonly host: string;
  readonly port: number;
  /** `host:port` — what KIUNGA_DNS_SERVER takes. */
  readonly address: string;
  setTxt(name: string, values: readonly string[]): void;
  removeName(name: string): void;
  /** For the next `times` queries of `name` (for good when absent); `drop` never answers. */
  setBehaviour(name: string, behaviour: DnsBehaviour, times?: number): void;
  queries(): DnsQueryRecord[];
  reset(): void;
  stop(): Promise<void>;
}

type Request = InstanceType<typeof Packet>;
type Send = (response: Request) => Promise<unknown>;

const canonical = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** RFC 1035 §3.3.14 / RFC 7208 §3.3: a long value travels as consecutive <character-string>s. */
function characterStrings(value: string): Buffer[] {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return [bytes];
  const strings: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += CHARACTER_STRING_OCTETS_MAX) {
    strings.push(bytes.subarray(offset, offset + CHARACTER_STRING_OCTETS_MAX));
  }
  return strings;
}

class DnsTable {
  private readonly txt = new Map<string, readonly string[]>();
  private readonly behaviours = new Map<string, { behaviour: DnsBehaviour; timesLeft: number }>();
  private readonly recorded: DnsQueryRecord[] = [];

  set(name: string, values: readonly string[]): void {
    this.txt.set(canonical(name), [...values]);
  }
  remove(name: string): void {
    this.txt.delete(canonical(name));
  }
  setBehaviour(name: string, behaviour: DnsBehaviour, times: number): void {
    this.behaviours.set(canonical(name), { behaviour, timesLeft: times });
  }
  /** The behaviour for this query, if any, counting it down. */
  takeBehaviour(name: string): DnsBehaviour | null {
    const entry = this.behaviours.get(name);
    if (!entry) return null;
    entry.timesLeft -= 1;
    if (entry.timesLeft <= 0) this.behaviours.delete(name);
    return entry.behaviour;
  }
  valuesOf(name: string): readonly string[] | undefined {
    return this.txt.get(name);
  }
  /** RFC 8020: a name exists when it or any name under it has records. */
  isExisting(name: string): boolean {
    if (this.txt.has(name)) return true;
    for (const owner of this.txt.keys()) if (owner.endsWith(`.${name}`)) return true;
    return false;
  }
  record(query: DnsQueryRecord): void {
    this.recorded.push(query);
    if (this.recorded.length > RECORDED_QUERIES_MAX) this.recorded.shift();
  }
  queries(): DnsQueryRecord[] {
    return [...this.recorded];
  }
  reset(): void {
    this.txt.clear();
    this.behaviours.clear();
    this.recorded.length = 0;
  }
}

const rcodeName = (rcode: number): string =>
  Object.entries(Packet.RCODE).find(([, value]) => value === rcode)?.[0] ?? String(rcode);

/** The answer to one query, or null to stay silent (a `drop` behaviour, or a response sent to us). */
function answer(table: DnsTable, request: Request, transport: 'udp' | 'tcp'): Request | null {
  if (request.header.qr === 1) return null;
  const question = request.questions[0];
  const name = canonical(question?.name ?? '');
  const type = question ? Packet.typeName(question.type) : 'NONE';
  const respond = (rcode: number, answers: Request['answers'] = []): Request => {
    const response =
      rcode === Packet.RCODE.NOERROR
        ? Packet.createResponseFromRequest(request)
        : Packet.createErrorResponseFromRequest(request, rcode);
    response.header.rcode = rcode;
    response.header.aa = 1;
    response.answers = answers;
    table.record({ name, type, transport, rcode: rcodeName(rcode) });
    return response;
  };
  if (request.errors.length > 0 || request.questions.length !== 1 || !question) {
    return respond(Packet.RCODE.FORMERR);
  }
  if (request.header.opcode !== OPCODE_QUERY) return respond(Packet.RCODE.NOTIMP);
  if (question.class !== Packet.CLASS.IN) return respond(Packet.RCODE.REFUSED);
  const behaviour = table.takeBehaviour(name);
  if (behaviour === 'drop') {
    table.record({ name, type, transport, rcode: 'DROPPED' });
    return null;
  }
  if (behaviour === 'servfail') return respond(Packet.RCODE.SERVFAIL);
  if (behaviour === 'refused') return respond(Packet.RCODE.REFUSED);
  if (!table.isExisting(name)) return respond(Packet.RCODE.NXDOMAIN);
  const values = table.valuesOf(name);
  if (question.type !== Packet.TYPE.TXT || !values) return respond(Packet.RCODE.NOERROR);
  return respond(
    Packet.RCODE.NOERROR,
    values.map((value) =>
      Packet.createResourceFromQuestion(question, {
        type: Packet.TYPE.TXT,
        class: Packet.CLASS.IN,
        ttl: ANSWER_TTL_SECONDS,
        data: characterStrings(value) as unknown as string[],
      }),
    ),
  );
}

function serve(table: DnsTable, transport: 'udp' | 'tcp') {
  return (request: Request, send: Send): void => {
    const response = answer(table, request, transport);
    if (response) void send(response).catch(() => undefined);
  };
}

async function listenBoth(
  table: DnsTable,
  host: string,
  port: number,
  connections: Set<Socket>,
): Promise<{ udp: dns2.UDPServer; tcp: dns2.TCPServer; port: number }> {
  const udp = dns2.createUDPServer({ type: host.includes(':') ? 'udp6' : 'udp4' });
  udp.on('request', serve(table, 'udp'));
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(port, host, () => resolve());
  });
  const udpPort = (udp.address() as AddressInfo).port;
  const tcp = dns2.createTCPServer();
  tcp.on('request', serve(table, 'tcp'));
  // RFC 7766 keeps TCP connections open between queries; stopping must not wait for them.
  tcp.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(udpPort, host, () => resolve());
    });
  } catch (error) {
    udp.close();
    throw error;
  }
  return { udp, tcp, port: udpPort };
}

export async function startDnsSimulator(options: DnsSimulatorOptions = {}): Promise<DnsSimulator> {
  const host = options.host ?? '127.0.0.1';
  const table = new DnsTable();
  const connections = new Set<Socket>();
  for (const [name, values] of Object.entries(options.txtRecords ?? {})) table.set(name, values);
  let servers: Awaited<ReturnType<typeof listenBoth>> | null = null;
  for (let attempt = 1; servers === null; attempt += 1) {
    try {
      servers = await listenBoth(table, host, options.port ?? 0, connections);
    } catch (error) {
      const isPortTaken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!isPortTaken || (options.port ?? 0) !== 0 || attempt >= PORT_ATTEMPTS_MAX) throw error;
    }
  }
  const { udp, tcp, port } = servers;
  return {
    host,
    port,
    address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    setTxt: (name, values) => table.set(name, values),
    removeName: (name) => table.remove(name),
    setBehaviour: (name, behaviour, times = Number.POSITIVE_INFINITY) =>
      table.setBehaviour(name, behaviour, times),
    queries: () => table.queries(),
    reset: () => table.reset(),
    stop: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
