// The socket edge: read a datagram, find its NAS, check authenticators and duplicates, pick the
// handler by packet code, send the encoded reply. Malformed or unauthenticated input is dropped
// silently and counted; nothing a datagram carries can throw out of here.
import type { RemoteInfo, Socket } from 'node:dgram';
import { Attribute, PacketCode } from '@kiunga/dictionaries';
import {
  CodecError,
  checkRequestMessageAuthenticator,
  decodePacket,
  encodeResponse,
  findAttribute,
  getAttributes,
  getString,
  type OutgoingAttribute,
  octetsAttribute,
  type RadiusPacket,
  verifyRequestAuthenticator,
} from '../codec/index';
import { type NasEntry, type NasRegistry, normaliseAddress } from '../store/index';
import { type AccessOutcome, handleAccessRequest } from './access-request';
import { handleAccountingRequest } from './accounting-request';
import type { IntakeContext } from './context';
import { type DuplicateCache, type DuplicateEntry, isNewRequest } from './duplicate-cache';
import type { MalformedDropLog } from './malformed-drop-log';

export type PortRole = 'auth' | 'acct';

export interface IntakeDependencies {
  context: IntakeContext;
  nasRegistry: NasRegistry;
  duplicates: DuplicateCache;
  malformedDrops: MalformedDropLog;
}

/** The `kind` label of kiunga_radius_requests_total (a switch: no keyed lookup per packet). */
function packetKindOf(code: number): string {
  switch (code) {
    case PacketCode.AccessRequest:
      return 'access_request';
    case PacketCode.AccountingRequest:
      return 'accounting_request';
    case PacketCode.StatusServer:
      return 'status_server';
    default:
      return 'other';
  }
}

export function receiveDatagram(
  dependencies: IntakeDependencies,
  socket: Socket,
  role: PortRole,
  datagram: Buffer,
  peer: RemoteInfo,
): void {
  const { context } = dependencies;
  let packet: RadiusPacket;
  try {
    packet = decodePacket(datagram);
  } catch (error) {
    context.metrics.countRequest('malformed', '');
    dropMalformed(dependencies, error, peer.address, null);
    return;
  }
  const nas = findNas(dependencies.nasRegistry, packet, peer.address);
  context.metrics.countRequest(packetKindOf(packet.code), nas?.tenantId ?? '');
  const refusal = nas ? admissionRefusal(packet, nas, role, peer.address) : 'unknown_nas';
  if (refusal !== null || !nas) {
    context.metrics.drops.inc({ reason: refusal ?? 'unknown_nas' });
    return;
  }
  const seen = dependencies.duplicates.begin(
    {
      nasId: nas.id,
      address: peer.address,
      port: peer.port,
      code: packet.code,
      identifier: packet.identifier,
      authenticator: packet.authenticator,
    },
    context.clock.now(),
  );
  if (!isNewRequest(seen)) {
    context.metrics.countDuplicate();
    if (seen.kind === 'answered') socket.send(seen.response, peer.port, peer.address);
    return;
  }
  const request: AdmittedRequest = { dependencies, socket, peer, duplicate: seen, packet, nas };
  dispatch(request, role);
}

/** A request past the authenticator and duplicate checks, with what answering it needs. */
interface AdmittedRequest {
  readonly dependencies: IntakeDependencies;
  readonly socket: Socket;
  readonly peer: RemoteInfo;
  readonly duplicate: DuplicateEntry;
  readonly packet: RadiusPacket;
  readonly nas: NasEntry;
}

function reply(request: AdmittedRequest, code: number, attributes: OutgoingAttribute[]): void {
  const { packet, dependencies, peer } = request;
  const response = encodeResponse({
    code,
    identifier: packet.identifier,
    requestAuthenticator: packet.authenticator,
    attributes: withProxyStates(attributes, packet),
    secret: request.nas.sharedSecret,
    // Accounting-Responses go unsigned: RFC 3579 gives no rule for them and FreeRADIUS-style
    // peers compute it over a zero authenticator; BlastRADIUS concerns Access-* replies only.
    includeMessageAuthenticator: packet.code !== PacketCode.AccountingRequest,
  });
  dependencies.duplicates.complete(request.duplicate, response);
  request.socket.send(response, peer.port, peer.address);
}

function drop(request: AdmittedRequest, reason: string): void {
  request.dependencies.duplicates.abandon(request.duplicate);
  request.dependencies.context.metrics.drops.inc({ reason });
}

function dispatch(request: AdmittedRequest, role: PortRole): void {
  const { packet, nas } = request;
  const { context } = request.dependencies;
  if (packet.code === PacketCode.StatusServer) {
    // RFC 5997 §3: the reply type says which service answered.
    reply(request, role === 'auth' ? PacketCode.AccessAccept : PacketCode.AccountingResponse, []);
    return;
  }
  if (packet.code === PacketCode.AccessRequest) {
    let outcome: ReturnType<typeof handleAccessRequest>;
    try {
      outcome = handleAccessRequest(context, packet, nas);
    } catch (error) {
      accessRequestFailed(request, error);
      return;
    }
    // A cached login answers now; one that had to read the database answers when the read is done.
    if (outcome instanceof Promise) {
      outcome
        .then((settled) => answerAccessRequest(request, settled))
        .catch((error: unknown) => accessRequestFailed(request, error));
      return;
    }
    answerAccessRequest(request, outcome);
    return;
  }
  handleAccountingRequest(context, packet, nas, (error, answer) => {
    if (answer?.kind === 'answer') {
      reply(request, PacketCode.AccountingResponse, []);
      return;
    }
    if (answer?.kind === 'drop') {
      drop(request, answer.reason);
      return;
    }
    context.logger.error({ err: error, nasId: nas.id }, 'accounting request failed');
    drop(request, 'internal_error');
  });
}

function answerAccessRequest(request: AdmittedRequest, outcome: AccessOutcome): void {
  const { context } = request.dependencies;
  if (outcome.kind === 'drop') {
    drop(request, outcome.reason);
    return;
  }
  if (outcome.kind === 'accept') context.metrics.countAccept(request.nas.tenantId);
  else context.metrics.countReject(request.nas.tenantId, outcome.reason);
  reply(request, outcome.code, outcome.attributes);
}

function accessRequestFailed(request: AdmittedRequest, error: unknown): void {
  // A value that breaks the RFCs (a User-Password of 6 octets, say) is the NAS's fault, not ours.
  if (error instanceof CodecError) {
    request.dependencies.duplicates.abandon(request.duplicate);
    dropMalformed(request.dependencies, error, request.peer.address, request.nas);
    return;
  }
  request.dependencies.context.logger.error({ err: error, nasId: request.nas.id }, 'access request failed');
  drop(request, 'internal_error');
}

/** Counts a malformed datagram and logs it, rate-limited per NAS (or source address when none is known). */
function dropMalformed(
  dependencies: IntakeDependencies,
  error: unknown,
  address: string,
  nas: NasEntry | null,
): void {
  const { context } = dependencies;
  // The codec throws only CodecError for input; anything else here is still input it could not frame.
  const problem = error instanceof CodecError ? error.reason : 'unreadable';
  context.metrics.countMalformed(problem);
  dependencies.malformedDrops.report(
    { source: nas?.id ?? address, address, nasId: nas?.id ?? null, problem },
    context.clock.now(),
  );
}

function findNas(registry: NasRegistry, packet: RadiusPacket, address: string): NasEntry | undefined {
  const byAddress = registry.findByAddress(normaliseAddress(address));
  if (byAddress) return byAddress;
  const identifier = getString(packet, Attribute.NasIdentifier);
  return identifier ? registry.findByIdentifier(identifier) : undefined;
}

/** Why a packet may not be processed, or null. Order: right port, then authenticators. */
function admissionRefusal(
  packet: RadiusPacket,
  nas: NasEntry,
  role: PortRole,
  address: string,
): string | null {
  const code = packet.code;
  const isAccessRequest = code === PacketCode.AccessRequest;
  if (role === 'auth' && code !== PacketCode.AccessRequest && code !== PacketCode.StatusServer)
    return 'wrong_port';
  if (role === 'acct' && code !== PacketCode.AccountingRequest && code !== PacketCode.StatusServer)
    return 'wrong_port';
  if (code === PacketCode.AccountingRequest && !verifyRequestAuthenticator(packet, nas.sharedSecret)) {
    return 'bad_authenticator';
  }
  const messageAuthenticator = checkRequestMessageAuthenticator(packet, nas.sharedSecret);
  if (messageAuthenticator === 'invalid') return 'bad_message_authenticator';
  if (messageAuthenticator === 'absent') {
    // Status-Server must be signed (RFC 5997 §3); so must anything from a NAS found by identifier
    // only, and Access-Requests of a NAS flagged for it (BlastRADIUS, CVE-2024-3596).
    if (code === PacketCode.StatusServer) return 'missing_message_authenticator';
    const isFoundByIdentifier = nas.ipAddress !== normaliseAddress(address);
    if (isAccessRequest && (nas.requireMessageAuthenticator || isFoundByIdentifier)) {
      return 'missing_message_authenticator';
    }
  }
  return null;
}

/** RFC 2865 §5.33: Proxy-State attributes are copied unchanged, in order, into the reply. */
function withProxyStates(attributes: OutgoingAttribute[], packet: RadiusPacket): OutgoingAttribute[] {
  // Nearly every NAS talks to us directly: find one before collecting (no array per reply).
  if (findAttribute(packet, Attribute.ProxyState) === undefined) return attributes;
  const states = getAttributes(packet, Attribute.ProxyState);
  const all = [...attributes];
  for (const value of states) all.push(octetsAttribute(Attribute.ProxyState, Buffer.from(value)));
  return all;
}
