// A lean paced load of Accounting-Requests for the interims bench: every packet encoded (authenticator
// included) before the timed phase, replies read by code and identifier only, no per-packet closures,
// promises or timers, so the bench client takes as little as it can of the cores it shares with the server.
import { createSocket, type Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { encodeRequest, type OutgoingAttribute } from '@kiunga/aaa-server/codec';
import { PacketCode } from '@kiunga/dictionaries';

/** RADIUS identifiers are one octet (RFC 2865 §3): one source port tells apart 256 outstanding requests. */
const IDENTIFIERS_PER_SOCKET = 256;
/**
 * Source ports. Request i is encoded for socket ⌊i / 256⌋ mod SOCKETS and identifier i mod 256, so an
 * identifier comes round again 256 × 64 = 16,384 requests later (0.8 s at 20,000/s); one still
 * outstanding then (retransmitting) makes the newer request take a free identifier and be signed anew.
 */
const SOCKETS = 64;
/** Loopback bursts of answers while the client's event loop is busy sending: room for thousands. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
/** How often the schedule is looked at (Node timers fire at best every millisecond). */
const PACING_TICK_MS = 1;
/** How often outstanding requests are checked for their timeout: a retransmission may leave this late. */
const TIMEOUT_SWEEP_MS = 50;
const CODE_OFFSET = 0;
const IDENTIFIER_OFFSET = 1;
/** A slot's request index when no request holds it. */
const FREE = -1;

export interface PreEncodedLoadOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  /** The attributes of request i (called once per request, before the timed phase). */
  readonly attributesOf: (index: number) => readonly OutgoingAttribute[];
  readonly count: number;
  readonly ratePerSecond: number;
  /** At most this many outstanding at once; the schedule waits beyond it. */
  readonly inFlight: number;
  readonly timeoutMs: number;
  readonly retries: number;
}

export interface PreEncodedLoadStats {
  readonly sent: number;
  readonly answered: number;
  readonly accountingResponses: number;
  readonly retransmits: number;
  /** Unanswered after every retry. */
  readonly lost: number;
  /** Replies for no outstanding request (late answers to given-up requests, or duplicates). */
  readonly stale: number;
  /** Requests signed again because their planned identifier was still in use. */
  readonly resigned: number;
  readonly wallTimeMs: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** Every request's packet in one buffer, request i at offsets[i] … offsets[i + 1]. */
export interface EncodedRequests {
  readonly bytes: Buffer;
  readonly offsets: Uint32Array;
}

function plannedSocketOf(index: number): number {
  return Math.floor(index / IDENTIFIERS_PER_SOCKET) % SOCKETS;
}

/** Encodes every request for its planned socket and identifier (the untimed part of a run). */
export function encodeRequests(options: PreEncodedLoadOptions): EncodedRequests {
  const packets: Buffer[] = new Array(options.count);
  let total = 0;
  for (let index = 0; index < options.count; index += 1) {
    const packet = encodeRequest({
      code: PacketCode.AccountingRequest,
      identifier: index % IDENTIFIERS_PER_SOCKET,
      attributes: options.attributesOf(index),
      secret: options.secret,
    });
    packets[index] = packet;
    total += packet.length;
  }
  const bytes = Buffer.allocUnsafe(total);
  const offsets = new Uint32Array(options.count + 1);
  let offset = 0;
  for (let index = 0; index < options.count; index += 1) {
    offsets[index] = offset;
    offset += packets[index]!.copy(bytes, offset);
  }
  offsets[options.count] = offset;
  return { bytes, offsets };
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

/** One run: the sockets, which request holds each (socket, identifier), and the counters. */
class PreEncodedRun {
  private readonly sockets: Socket[] = [];
  /** Request index holding socket s's identifier d at [s × 256 + d], or FREE. */
  private readonly slots = new Int32Array(SOCKETS * IDENTIFIERS_PER_SOCKET).fill(FREE);
  private readonly firstSentAt: Float64Array;
  private readonly lastSentAt: Float64Array;
  private readonly attempts: Uint8Array;
  /** The packet a re-signed request carries instead of its planned one. */
  private readonly resignedPackets = new Map<number, Buffer>();
  private readonly latenciesMs: Float64Array;
  private nextIndex = 0;
  private outstanding = 0;
  private sent = 0;
  private answered = 0;
  private accountingResponses = 0;
  private retransmits = 0;
  private lost = 0;
  private stale = 0;
  private resigned = 0;
  private startedAt = 0;
  private pacingTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private resolve: (stats: PreEncodedLoadStats) => void = () => {};

  constructor(
    private readonly options: PreEncodedLoadOptions,
    private readonly encoded: EncodedRequests,
  ) {
    this.firstSentAt = new Float64Array(options.count);
    this.lastSentAt = new Float64Array(options.count);
    this.attempts = new Uint8Array(options.count);
    this.latenciesMs = new Float64Array(options.count);
  }

  async run(): Promise<PreEncodedLoadStats> {
    for (let socketIndex = 0; socketIndex < SOCKETS; socketIndex += 1) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        // Connected: each send skips the address lookup, and only the server's replies arrive.
        socket.bind({ address: '127.0.0.1', port: 0 }, () =>
          socket.connect(this.options.port, this.options.host, () => {
            socket.off('error', reject);
            resolve();
          }),
        );
      });
      // A send error on loopback is this run's own trouble: the request times out and is retried.
      socket.on('error', () => {});
      socket.on('message', (message: Buffer) => this.onReply(socketIndex, message));
      this.sockets.push(socket);
    }
    return new Promise<PreEncodedLoadStats>((resolve) => {
      this.resolve = resolve;
      this.startedAt = performance.now();
      this.pacingTimer = setInterval(() => this.sendDue(), PACING_TICK_MS);
      this.sweepTimer = setInterval(() => this.sweepTimeouts(), TIMEOUT_SWEEP_MS);
      this.sendDue();
    });
  }

  private sendDue(): void {
    const elapsedMs = performance.now() - this.startedAt;
    const due = Math.min(this.options.count, Math.floor((elapsedMs * this.options.ratePerSecond) / 1000) + 1);
    while (this.nextIndex < due && this.outstanding < this.options.inFlight) {
      const index = this.nextIndex;
      this.nextIndex += 1;
      let slot = plannedSocketOf(index) * IDENTIFIERS_PER_SOCKET + (index % IDENTIFIERS_PER_SOCKET);
      if (this.slots[slot] !== FREE) slot = this.resign(index);
      this.slots[slot] = index;
      this.outstanding += 1;
      this.sent += 1;
      this.attempts[index] = 1;
      const now = performance.now();
      this.firstSentAt[index] = now;
      this.lastSentAt[index] = now;
      this.transmit(slot, index);
    }
    this.finishIfDone();
  }

  /** Signs request `index` for a free slot (its planned identifier is still outstanding); returns the slot. */
  private resign(index: number): number {
    const slot = this.slots.indexOf(FREE);
    if (slot === -1) throw new Error('no free RADIUS identifier: raise SOCKETS or lower inFlight');
    const planned = this.packetOf(index);
    const identifier = slot % IDENTIFIERS_PER_SOCKET;
    // Re-encode from the planned packet's attributes: the same bytes but the identifier and authenticator.
    const packet = encodeRequest({
      code: PacketCode.AccountingRequest,
      identifier,
      attributes: this.options.attributesOf(index),
      secret: this.options.secret,
    });
    if (packet.length !== planned.length || packet[IDENTIFIER_OFFSET] !== identifier) {
      throw new Error('a re-signed request differs from its planned packet');
    }
    this.resignedPackets.set(index, packet);
    this.resigned += 1;
    return slot;
  }

  private packetOf(index: number): Buffer {
    const { bytes, offsets } = this.encoded;
    return this.resignedPackets.get(index) ?? bytes.subarray(offsets[index]!, offsets[index + 1]!);
  }

  private transmit(slot: number, index: number): void {
    this.sockets[Math.floor(slot / IDENTIFIERS_PER_SOCKET)]!.send(this.packetOf(index));
  }

  private onReply(socketIndex: number, message: Buffer): void {
    if (message.length <= IDENTIFIER_OFFSET) {
      this.stale += 1;
      return;
    }
    const slot = socketIndex * IDENTIFIERS_PER_SOCKET + message[IDENTIFIER_OFFSET]!;
    const index = this.slots[slot]!;
    if (index === FREE) {
      this.stale += 1;
      return;
    }
    this.latenciesMs[this.answered] = performance.now() - this.firstSentAt[index]!;
    this.answered += 1;
    if (message[CODE_OFFSET] === PacketCode.AccountingResponse) this.accountingResponses += 1;
    this.release(slot, index);
    this.sendDue();
  }

  private release(slot: number, index: number): void {
    this.slots[slot] = FREE;
    this.outstanding -= 1;
    this.resignedPackets.delete(index);
  }

  private sweepTimeouts(): void {
    const now = performance.now();
    for (let slot = 0; slot < this.slots.length; slot += 1) {
      const index = this.slots[slot]!;
      if (index === FREE || now - this.lastSentAt[index]! < this.options.timeoutMs) continue;
      if (this.attempts[index]! <= this.options.retries) {
        this.attempts[index]! += 1;
        this.retransmits += 1;
        this.lastSentAt[index] = now;
        this.transmit(slot, index);
        continue;
      }
      this.lost += 1;
      this.release(slot, index);
    }
    this.sendDue();
  }

  private finishIfDone(): void {
    if (this.nextIndex < this.options.count || this.outstanding > 0) return;
    const wallTimeMs = performance.now() - this.startedAt;
    clearInterval(this.pacingTimer);
    clearInterval(this.sweepTimer);
    for (const socket of this.sockets) socket.close();
    const sorted = this.latenciesMs.subarray(0, this.answered).sort();
    this.resolve({
      sent: this.sent,
      answered: this.answered,
      accountingResponses: this.accountingResponses,
      retransmits: this.retransmits,
      lost: this.lost,
      stale: this.stale,
      resigned: this.resigned,
      wallTimeMs,
      requestsPerSecond: (this.answered * 1000) / wallTimeMs,
      latencyP50Ms: percentile(sorted, 0.5),
      latencyP99Ms: percentile(sorted, 0.99),
    });
  }
}

/** Sends the encoded requests on schedule, retransmitting the same bytes after each timeout. */
export function drivePreEncodedLoad(
  options: PreEncodedLoadOptions,
  encoded: EncodedRequests,
): Promise<PreEncodedLoadStats> {
  if (encoded.offsets.length !== options.count + 1) throw new Error('encoded requests do not match count');
  if (options.retries > 255 - 1) throw new Error('retries must fit the attempt counter');
  return new PreEncodedRun(options, encoded).run();
}
