// RFC 5176 client: sends Disconnect-Request and CoA-Request to a NAS's CoA port, with retries.
import { createSocket, type Socket } from 'node:dgram';
import { Attribute, MikrotikAttribute, PacketCode, VendorId } from '@kiunga/dictionaries';
import type { CoaOutcome } from '@kiunga/schemas';
import {
  checkMessageAuthenticator,
  decodePacket,
  encodeRequest,
  getInteger,
  integerAttribute,
  ipAddressAttribute,
  type OutgoingAttribute,
  stringAttribute,
  stringValue,
  vendorAttribute,
  verifyResponseAuthenticator,
} from '../codec/index';

/** Wait this long for each answer; MikroTik answers CoA within milliseconds on a LAN. */
export const COA_TIMEOUT_MS = 1_000;
/** Sends per request (first try + retransmissions), RFC 5080-style fixed retries. */
export const COA_ATTEMPTS_MAX = 3;
/** Requests waiting for an answer at once; the identifier space of one socket is 256. */
export const COA_IN_FLIGHT_MAX = 256;

export interface CoaTarget {
  address: string;
  port: number;
  secret: Buffer;
}

export interface SessionIdentity {
  username: string;
  acctSessionId: string;
  framedIp: string | null;
}

interface Waiting {
  requestAuthenticator: Buffer;
  secret: Buffer;
  resolve: (outcome: CoaOutcome) => void;
}

export class CoaClient {
  private socket: Socket | null = null;
  private nextIdentifier = 0;
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly options: { timeoutMs?: number; attemptsMax?: number } = {}) {}

  disconnect(target: CoaTarget, session: SessionIdentity): Promise<CoaOutcome> {
    return this.send(target, PacketCode.DisconnectRequest, identityAttributes(session));
  }

  /**
   * The live session's new rate as Mikrotik-Rate-Limit (vendor 14988, attribute 8; MikroTik's
   * dictionary and "Supported RADIUS Attributes" in Manual:RADIUS Client give its rx/tx format).
   */
  changeRate(target: CoaTarget, session: SessionIdentity, rateLimit: string): Promise<CoaOutcome> {
    return this.send(target, PacketCode.CoaRequest, [
      ...identityAttributes(session),
      vendorAttribute(VendorId.Mikrotik, MikrotikAttribute.RateLimit, stringValue(rateLimit)),
    ]);
  }

  /**
   * A new Session-Timeout for a live session: the seconds it may still last from now (RFC 5176's table of
   * attributes allows one Session-Timeout in a CoA-Request; RFC 2865 §5.27). Used when payment
   * moves the paid-through date, so the session is not cut at the old end.
   *
   * RouterOS: MikroTik's "Manual:RADIUS Client" (wiki.mikrotik.com, sections "Connection Terminating from
   * RADIUS" — the `/radius incoming` listener — and "Supported RADIUS Attributes", where Session-Timeout
   * and Mikrotik-Rate-Limit are Access-Accept attributes) is what the stored vendor documents offer; none
   * of them lists which attributes a CoA-Request may change, so that RouterOS applies a Session-Timeout
   * received by CoA is not confirmed from MikroTik's own text (issue 15 asked; searched December 2026).
   * The request stays RFC 5176-valid and touches nothing else. If a router ignores it, the session ends
   * at the old Session-Timeout and the client's reconnect gets the new one in its Access-Accept (the
   * paid-through date is already moved), so the cost is one reconnect, not lost time.
   */
  changeTimeout(
    target: CoaTarget,
    session: SessionIdentity,
    sessionTimeoutSeconds: number,
  ): Promise<CoaOutcome> {
    return this.send(target, PacketCode.CoaRequest, [
      ...identityAttributes(session),
      integerAttribute(Attribute.SessionTimeout, sessionTimeoutSeconds),
    ]);
  }

  close(): void {
    for (const waiting of this.waiting.values()) waiting.resolve({ outcome: 'timeout' });
    this.waiting.clear();
    this.socket?.close();
    this.socket = null;
  }

  private async send(target: CoaTarget, code: number, attributes: OutgoingAttribute[]): Promise<CoaOutcome> {
    if (this.waiting.size >= COA_IN_FLIGHT_MAX) return { outcome: 'timeout' };
    const socket = await this.openSocket();
    const identifier = this.takeIdentifier();
    const request = encodeRequest({
      code,
      identifier,
      attributes,
      secret: target.secret,
      includeMessageAuthenticator: true,
    });
    const requestAuthenticator = Buffer.from(request.subarray(4, 20));
    const attemptsMax = this.options.attemptsMax ?? COA_ATTEMPTS_MAX;
    const timeoutMs = this.options.timeoutMs ?? COA_TIMEOUT_MS;
    return new Promise<CoaOutcome>((resolve) => {
      let attempts = 0;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: CoaOutcome) => {
        clearTimeout(timer);
        this.waiting.delete(identifier);
        resolve(outcome);
      };
      const attempt = () => {
        if (attempts >= attemptsMax) return finish({ outcome: 'timeout' });
        attempts += 1;
        socket.send(request, target.port, target.address);
        timer = setTimeout(attempt, timeoutMs);
      };
      this.waiting.set(identifier, { requestAuthenticator, secret: target.secret, resolve: finish });
      attempt();
    });
  }

  private takeIdentifier(): number {
    // Skip identifiers still waiting so two requests never share one.
    for (let tries = 0; tries < 256; tries += 1) {
      const identifier = this.nextIdentifier;
      this.nextIdentifier = (this.nextIdentifier + 1) % 256;
      if (!this.waiting.has(identifier)) return identifier;
    }
    throw new Error('no free CoA identifier');
  }

  private async openSocket(): Promise<Socket> {
    if (this.socket) return this.socket;
    const socket = createSocket('udp4');
    socket.on('message', (datagram) => this.receive(datagram));
    socket.on('error', () => {
      /* answers that fail to arrive are retried or time out */
    });
    await new Promise<void>((resolve) => socket.bind(0, resolve));
    socket.unref();
    this.socket = socket;
    return socket;
  }

  private receive(datagram: Buffer): void {
    let response: ReturnType<typeof decodePacket>;
    try {
      response = decodePacket(datagram);
    } catch {
      return;
    }
    const waiting = this.waiting.get(response.identifier);
    if (!waiting) return;
    if (!verifyResponseAuthenticator(response, waiting.requestAuthenticator, waiting.secret)) return;
    if (checkMessageAuthenticator(response, waiting.secret, waiting.requestAuthenticator) === 'invalid')
      return;
    if (response.code === PacketCode.DisconnectAck || response.code === PacketCode.CoaAck) {
      waiting.resolve({ outcome: 'ack' });
    } else if (response.code === PacketCode.DisconnectNak || response.code === PacketCode.CoaNak) {
      waiting.resolve({ outcome: 'nak', errorCause: getInteger(response, Attribute.ErrorCause) ?? null });
    }
  }
}

/**
 * MikroTik matches a session by User-Name plus Acct-Session-Id (or Framed-IP-Address). The
 * Calling-Station-Id is left out: ours is normalised and may not match the NAS's spelling.
 */
function identityAttributes(session: SessionIdentity): OutgoingAttribute[] {
  const attributes = [
    stringAttribute(Attribute.UserName, session.username),
    stringAttribute(Attribute.AcctSessionId, session.acctSessionId),
  ];
  if (session.framedIp) attributes.push(ipAddressAttribute(Attribute.FramedIpAddress, session.framedIp));
  return attributes;
}
