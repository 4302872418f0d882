// A fake MikroTik NAS for tests and the demo: answers RFC 5176 CoA and Disconnect requests on loopback.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIPv4 } from 'node:net';
import {
  checkRequestMessageAuthenticator,
  decodePacket,
  encodeResponse,
  integerAttribute,
  type RadiusAttribute,
  type RadiusPacket,
  verifyRequestAuthenticator,
} from '@kiunga/aaa-server/codec';
import { Attribute, ErrorCause, PacketCode } from '@kiunga/dictionaries';

/** Tests and demos look at a few hundred requests; beyond this the oldest are not kept (counted instead). */
export const RECEIVED_MAX = 10_000;
/** `ack-after-drops:N` beyond this would only make a test wait for its own timeouts. */
export const DROPS_MAX = 100;
const LOOPBACK_PREFIX = '127.';

export type NasBehaviour = 'ack' | 'nak' | 'silent' | `ack-after-drops:${number}`;

/** What the simulator did with a request that passed the authenticator checks. */
export type NasOutcome = 'ack' | 'nak' | 'silent' | 'dropped';

export interface ReceivedRequest {
  readonly code: number;
  readonly identifier: number;
  readonly attributes: readonly RadiusAttribute[];
  /** The whole decoded request, for accessors such as getString(packet, Attribute.UserName). */
  readonly packet: RadiusPacket;
  /** Milliseconds since the epoch, from the simulator's clock. */
  readonly at: number;
  readonly outcome: NasOutcome;
  readonly from: { readonly address: string; readonly port: number };
}

export interface NasSimulatorOptions {
  /** A loopback address (127.0.0.0/8): the simulator never listens elsewhere. */
  readonly host: string;
  /** 0 picks a free port; RouterOS listens on 3799 (RFC 5176 §3). */
  readonly coaPort: number;
  readonly secret: string;
  readonly behaviour: NasBehaviour;
  /** Called for every accepted request, after it is answered (or not). */
  readonly onRequest?: (request: ReceivedRequest) => void;
  readonly now?: () => number;
}

export interface NasSimulatorCounters {
  /** Bad request authenticator or Message-Authenticator: dropped silently (RFC 5176 §3.5). */
  invalidAuthenticator: number;
  /** Not a CoA-Request or Disconnect-Request, or not a RADIUS packet at all. */
  malformedOrUnexpected: number;
  /** Requests dropped on purpose by `ack-after-drops:N`. */
  droppedOnPurpose: number;
  /** Requests handled but not kept in `received` because it was full. */
  notRecorded: number;
  socketErrors: number;
}

export interface NasSimulator {
  readonly host: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  readonly counters: Readonly<NasSimulatorCounters>;
  setBehaviour(behaviour: NasBehaviour): void;
  close(): Promise<void>;
}

interface BehaviourState {
  behaviour: NasBehaviour;
  dropsLeft: number;
}

export function parseBehaviour(text: string): NasBehaviour {
  if (text === 'ack' || text === 'nak' || text === 'silent') return text;
  const match = /^ack-after-drops:(\d+)$/.exec(text);
  const drops = match ? Number.parseInt(match[1] ?? '', 10) : Number.NaN;
  if (!Number.isInteger(drops) || drops < 0 || drops > DROPS_MAX) {
    throw new Error(`behaviour must be ack, nak, silent or ack-after-drops:N with N in 0..${DROPS_MAX}`);
  }
  return `ack-after-drops:${drops}`;
}

function dropsOf(behaviour: NasBehaviour): number {
  return behaviour.startsWith('ack-after-drops:')
    ? Number.parseInt(behaviour.slice('ack-after-drops:'.length), 10)
    : 0;
}

/** Decodes and authenticates a datagram; undefined says why it must be dropped through the counters. */
function acceptRequest(
  message: Buffer,
  secret: string,
  counters: NasSimulatorCounters,
): RadiusPacket | undefined {
  let packet: RadiusPacket;
  try {
    packet = decodePacket(message);
  } catch {
    counters.malformedOrUnexpected += 1;
    return undefined;
  }
  if (packet.code !== PacketCode.CoaRequest && packet.code !== PacketCode.DisconnectRequest) {
    counters.malformedOrUnexpected += 1;
    return undefined;
  }
  // RFC 5176 §2.3 request authenticator, then RFC 3579 §3.2 Message-Authenticator when present.
  if (
    !verifyRequestAuthenticator(packet, secret) ||
    checkRequestMessageAuthenticator(packet, secret) === 'invalid'
  ) {
    counters.invalidAuthenticator += 1;
    return undefined;
  }
  return packet;
}

function decideOutcome(state: BehaviourState, counters: NasSimulatorCounters): NasOutcome {
  if (state.behaviour === 'ack' || state.behaviour === 'nak' || state.behaviour === 'silent')
    return state.behaviour;
  if (state.dropsLeft > 0) {
    state.dropsLeft -= 1;
    counters.droppedOnPurpose += 1;
    return 'dropped';
  }
  return 'ack';
}

function encodeAnswer(packet: RadiusPacket, outcome: 'ack' | 'nak', secret: string): Buffer {
  const isDisconnect = packet.code === PacketCode.DisconnectRequest;
  const ackCode = isDisconnect ? PacketCode.DisconnectAck : PacketCode.CoaAck;
  const nakCode = isDisconnect ? PacketCode.DisconnectNak : PacketCode.CoaNak;
  return encodeResponse({
    code: outcome === 'ack' ? ackCode : nakCode,
    identifier: packet.identifier,
    requestAuthenticator: packet.authenticator,
    attributes:
      outcome === 'ack' ? [] : [integerAttribute(Attribute.ErrorCause, ErrorCause.SessionContextNotFound)],
    secret,
    // Answer in kind: a client that signs its requests expects signed answers.
    includeMessageAuthenticator: packet.messageAuthenticatorOffset !== -1,
  });
}

function assertOptions(options: NasSimulatorOptions): void {
  if (!isIPv4(options.host) || !options.host.startsWith(LOOPBACK_PREFIX)) {
    throw new Error(`the NAS simulator listens on loopback only (127.0.0.0/8), not ${options.host}`);
  }
  if (options.secret.length === 0) throw new Error('a shared secret is required');
  parseBehaviour(options.behaviour);
}

/**
 * Starts the simulator: every valid CoA-Request or Disconnect-Request is recorded and answered as the
 * current behaviour says. `ack-after-drops:N` drops the next N valid requests (retransmits included),
 * then acknowledges; setBehaviour restarts that count.
 */
export async function startNasSimulator(options: NasSimulatorOptions): Promise<NasSimulator> {
  assertOptions(options);
  const now = options.now ?? Date.now;
  const socket = createSocket('udp4');
  const received: ReceivedRequest[] = [];
  const counters: NasSimulatorCounters = {
    invalidAuthenticator: 0,
    malformedOrUnexpected: 0,
    droppedOnPurpose: 0,
    notRecorded: 0,
    socketErrors: 0,
  };
  const state: BehaviourState = { behaviour: options.behaviour, dropsLeft: dropsOf(options.behaviour) };

  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    const packet = acceptRequest(message, options.secret, counters);
    if (packet === undefined) return;
    const outcome = decideOutcome(state, counters);
    if (outcome === 'ack' || outcome === 'nak') {
      socket.send(encodeAnswer(packet, outcome, options.secret), remote.port, remote.address);
    }
    const request: ReceivedRequest = {
      code: packet.code,
      identifier: packet.identifier,
      attributes: packet.attributes,
      packet,
      at: now(),
      outcome,
      from: { address: remote.address, port: remote.port },
    };
    if (received.length < RECEIVED_MAX) received.push(request);
    else counters.notRecorded += 1;
    options.onRequest?.(request);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host, port: options.coaPort }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // After binding, a socket error (e.g. a send to a vanished client) must not end the process.
  socket.on('error', () => {
    counters.socketErrors += 1;
  });

  return {
    host: options.host,
    port: socket.address().port,
    received,
    counters,
    setBehaviour(behaviour: NasBehaviour): void {
      state.behaviour = parseBehaviour(behaviour);
      state.dropsLeft = dropsOf(state.behaviour);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
