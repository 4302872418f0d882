// Drives a RADIUS server over loopback UDP with a fixed number of requests in flight and counts the outcomes.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import {
  attribute,
  decodePacket,
  encodeRequest,
  encryptUserPassword,
  type OutgoingAttribute,
  type RadiusPacket,
  verifyResponseAuthenticator,
} from '@kiunga/aaa-server/codec';
import { Attribute, PacketCode } from '@kiunga/dictionaries';

/** RADIUS identifiers are one octet, so one source port can tell apart at most 256 outstanding requests. */
const IDENTIFIERS_PER_SOCKET = 256;
/**
 * Fewer than 256 per socket so a freed identifier waits in a queue before reuse: a late answer to a
 * timed-out request then meets a new request authenticator and is counted as stale, not as an answer.
 */
const IN_FLIGHT_PER_SOCKET_MAX = 200;
/** Loopback bursts of 200 answers fit easily; 4 MiB leaves room for slow event-loop turns. */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
const AUTHENTICATOR_OFFSET = 4;
const AUTHENTICATOR_LENGTH = 16;
const HEADER_LENGTH = 20;
export const IN_FLIGHT_MAX = 10_000;
/**
 * How often a paced run looks at its schedule. Node timers fire at best every millisecond; each tick
 * sends what the schedule owes since the last one, so the offered rate holds even when ticks run late.
 */
const PACING_TICK_MS = 1;
/** A paced run offers at most this many requests per second: beyond it, the unpaced run is the measure. */
export const RATE_PER_SECOND_MAX = 1_000_000;
export const RETRIES_MAX = 10;
export const REQUESTS_MAX = 10_000_000;

export type LoadRequestCode = typeof PacketCode.AccessRequest | typeof PacketCode.AccountingRequest;

export interface LoadRequest {
  readonly attributes: readonly OutgoingAttribute[];
  /** PAP password in clear; it is encrypted (RFC 2865 §5.2) with each request's own authenticator. */
  readonly userPassword?: string;
}

export interface DriveLoadOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly code: LoadRequestCode;
  readonly requests: readonly LoadRequest[];
  readonly inFlight: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly sourceAddress?: string;
  /** Access-Requests carry Message-Authenticator unless told otherwise (RFC 3579 §3.2, Blast-RADIUS). */
  readonly includeMessageAuthenticator?: boolean;
  /**
   * Offered rate: requests leave on this schedule (open loop, as routers send), whatever the answers do;
   * `inFlight` still caps what is outstanding. Unset: the next request leaves as soon as one is answered.
   */
  readonly ratePerSecond?: number;
}

export interface LoadStats {
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly accountingResponses: number;
  readonly otherResponses: number;
  /** Requests still unanswered after every retry: lost. */
  readonly timedOut: number;
  readonly retransmits: number;
  /** Answers that failed the response authenticator check or matched no outstanding request. */
  readonly staleOrInvalidResponses: number;
  readonly socketErrors: number;
  readonly wallTimeMs: number;
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

type Counters = Omit<LoadStats, 'wallTimeMs' | 'requestsPerSecond' | 'latencyP50Ms' | 'latencyP99Ms'>;
type MutableCounters = { -readonly [Key in keyof Counters]: number };

interface Outstanding {
  readonly identifier: number;
  readonly packet: Buffer;
  readonly requestAuthenticator: Buffer;
  readonly firstSentAt: number;
  attempts: number;
  timer: NodeJS.Timeout | undefined;
}

interface Lane {
  readonly socket: Socket;
  /** How many of the run's in-flight requests this socket carries. */
  readonly capacity: number;
  /** Identifiers not in use, oldest freed first, so reuse comes as late as possible. */
  readonly freeIdentifiers: number[];
  readonly outstanding: Map<number, Outstanding>;
}

function assertOptions(options: DriveLoadOptions): void {
  if (!Number.isInteger(options.inFlight) || options.inFlight < 1 || options.inFlight > IN_FLIGHT_MAX) {
    throw new Error(`inFlight must be 1..${IN_FLIGHT_MAX}`);
  }
  if (!Number.isInteger(options.retries) || options.retries < 0 || options.retries > RETRIES_MAX) {
    throw new Error(`retries must be 0..${RETRIES_MAX}`);
  }
  if (options.requests.length > REQUESTS_MAX) throw new Error(`at most ${REQUESTS_MAX} requests`);
  if (!(options.timeoutMs > 0)) throw new Error('timeoutMs must be positive');
  const rate = options.ratePerSecond;
  if (rate !== undefined && !(Number.isInteger(rate) && rate >= 1 && rate <= RATE_PER_SECOND_MAX)) {
    throw new Error(`ratePerSecond must be 1..${RATE_PER_SECOND_MAX}`);
  }
}

/** How many requests a paced run has offered `elapsedMs` after its start: the first at once, then on schedule. */
export function requestsDueAt(elapsedMs: number, ratePerSecond: number): number {
  return Math.floor((Math.max(0, elapsedMs) * ratePerSecond) / 1000) + 1;
}

async function openLane(sourceAddress: string, capacity: number, counters: MutableCounters): Promise<Lane> {
  const socket = createSocket({ type: 'udp4', recvBufferSize: RECEIVE_BUFFER_BYTES });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: sourceAddress, port: 0 }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A send error on loopback is an operating error of this run: count it, the request will time out.
  socket.on('error', () => {
    counters.socketErrors += 1;
  });
  const freeIdentifiers = Array.from({ length: IDENTIFIERS_PER_SOCKET }, (_, identifier) => identifier);
  return { socket, capacity, freeIdentifiers, outstanding: new Map() };
}

function percentile(sortedValues: Float64Array, fraction: number): number {
  if (sortedValues.length === 0) return 0;
  const index = Math.min(sortedValues.length - 1, Math.floor(fraction * sortedValues.length));
  return sortedValues[index] ?? 0;
}

function countResponse(counters: MutableCounters, code: number): void {
  if (code === PacketCode.AccessAccept) counters.accepted += 1;
  else if (code === PacketCode.AccessReject) counters.rejected += 1;
  else if (code === PacketCode.AccountingResponse) counters.accountingResponses += 1;
  else counters.otherResponses += 1;
}

function decodeOrUndefined(message: Buffer): RadiusPacket | undefined {
  try {
    return decodePacket(message);
  } catch {
    return undefined;
  }
}

/** Encodes one request; an Access-Request gets a fresh random authenticator that also hides its password. */
export function encodeLoadRequest(
  options: Pick<DriveLoadOptions, 'code' | 'secret' | 'includeMessageAuthenticator'>,
  identifier: number,
  request: LoadRequest,
): Buffer {
  const isAccessRequest = options.code === PacketCode.AccessRequest;
  const authenticator = isAccessRequest ? randomBytes(AUTHENTICATOR_LENGTH) : undefined;
  const attributes =
    request.userPassword === undefined || authenticator === undefined
      ? request.attributes
      : [
          ...request.attributes,
          attribute(
            Attribute.UserPassword,
            encryptUserPassword(request.userPassword, options.secret, authenticator),
          ),
        ];
  return encodeRequest({
    code: options.code,
    identifier,
    attributes,
    secret: options.secret,
    authenticator,
    includeMessageAuthenticator: options.includeMessageAuthenticator ?? isAccessRequest,
  });
}

/** One run of driveLoad: sockets, the outstanding table and the counters. */
class LoadRun {
  private readonly counters: MutableCounters = {
    sent: 0,
    accepted: 0,
    rejected: 0,
    accountingResponses: 0,
    otherResponses: 0,
    timedOut: 0,
    retransmits: 0,
    staleOrInvalidResponses: 0,
    socketErrors: 0,
  };
  private lanes: Lane[] = [];
  private readonly latenciesMs: Float64Array;
  private answered = 0;
  private nextIndex = 0;
  private outstandingCount = 0;
  private startedAt = 0;
  private pacingTimer: NodeJS.Timeout | undefined;
  private resolve: (stats: LoadStats) => void = () => {};

  constructor(private readonly options: DriveLoadOptions) {
    this.latenciesMs = new Float64Array(options.requests.length);
  }

  async run(): Promise<LoadStats> {
    const { inFlight } = this.options;
    const laneCount = Math.ceil(inFlight / IN_FLIGHT_PER_SOCKET_MAX);
    const capacities = Array.from(
      { length: laneCount },
      (_, index) => Math.floor(inFlight / laneCount) + (index < inFlight % laneCount ? 1 : 0),
    );
    const sourceAddress = this.options.sourceAddress ?? '127.0.0.1';
    this.lanes = await Promise.all(
      capacities.map((capacity) => openLane(sourceAddress, capacity, this.counters)),
    );
    return new Promise<LoadStats>((resolve) => {
      this.resolve = resolve;
      this.startedAt = performance.now();
      for (const lane of this.lanes) {
        lane.socket.on('message', (message) => this.onMessage(lane, message));
        this.refill(lane);
      }
      if (this.options.ratePerSecond !== undefined) {
        this.pacingTimer = setInterval(() => {
          for (const lane of this.lanes) this.refill(lane);
        }, PACING_TICK_MS);
      }
      this.finishIfDone();
    });
  }

  private finishIfDone(): void {
    if (this.nextIndex < this.options.requests.length || this.outstandingCount > 0) return;
    const wallTimeMs = performance.now() - this.startedAt;
    clearInterval(this.pacingTimer);
    for (const lane of this.lanes) lane.socket.close();
    const sorted = this.latenciesMs.subarray(0, this.answered).sort();
    this.resolve({
      ...this.counters,
      wallTimeMs,
      requestsPerSecond: (this.options.requests.length * 1000) / wallTimeMs,
      latencyP50Ms: percentile(sorted, 0.5),
      latencyP99Ms: percentile(sorted, 0.99),
    });
  }

  /** Requests that may have left by now: all of them unpaced, else what the schedule has reached. */
  private requestsDue(): number {
    const rate = this.options.ratePerSecond;
    if (rate === undefined) return this.options.requests.length;
    return Math.min(this.options.requests.length, requestsDueAt(performance.now() - this.startedAt, rate));
  }

  private refill(lane: Lane): void {
    const requests = this.options.requests;
    const due = this.requestsDue();
    // Bounded by the lane's capacity, by the schedule and by the requests left.
    while (lane.outstanding.size < lane.capacity && this.nextIndex < due) {
      const identifier = lane.freeIdentifiers.shift();
      const request = requests[this.nextIndex];
      if (identifier === undefined || request === undefined) return;
      this.nextIndex += 1;
      const packet = encodeLoadRequest(this.options, identifier, request);
      const outstanding: Outstanding = {
        identifier,
        packet,
        requestAuthenticator: Buffer.from(packet.subarray(AUTHENTICATOR_OFFSET, HEADER_LENGTH)),
        firstSentAt: performance.now(),
        attempts: 1,
        timer: undefined,
      };
      lane.outstanding.set(identifier, outstanding);
      this.outstandingCount += 1;
      this.counters.sent += 1;
      this.transmit(lane, outstanding);
    }
  }

  private transmit(lane: Lane, request: Outstanding): void {
    lane.socket.send(request.packet, this.options.port, this.options.host);
    request.timer = setTimeout(() => this.onTimeout(lane, request), this.options.timeoutMs);
  }

  private release(lane: Lane, request: Outstanding): void {
    clearTimeout(request.timer);
    lane.outstanding.delete(request.identifier);
    lane.freeIdentifiers.push(request.identifier);
    this.outstandingCount -= 1;
    this.refill(lane);
    this.finishIfDone();
  }

  private onTimeout(lane: Lane, request: Outstanding): void {
    if (request.attempts <= this.options.retries) {
      request.attempts += 1;
      this.counters.retransmits += 1;
      this.transmit(lane, request);
      return;
    }
    this.counters.timedOut += 1;
    this.release(lane, request);
  }

  private onMessage(lane: Lane, message: Buffer): void {
    const response = decodeOrUndefined(message);
    const request = response === undefined ? undefined : lane.outstanding.get(response.identifier);
    if (
      response === undefined ||
      request === undefined ||
      !verifyResponseAuthenticator(response, request.requestAuthenticator, this.options.secret)
    ) {
      this.counters.staleOrInvalidResponses += 1;
      return;
    }
    this.latenciesMs[this.answered] = performance.now() - request.firstSentAt;
    this.answered += 1;
    countResponse(this.counters, response.code);
    this.release(lane, request);
  }
}

/**
 * Sends every request once (plus retransmits of the same bytes after `timeoutMs`), keeping exactly
 * `inFlight` outstanding until the list runs out. Ends when each request is answered or given up.
 */
export function driveLoad(options: DriveLoadOptions): Promise<LoadStats> {
  assertOptions(options);
  return new LoadRun(options).run();
}
