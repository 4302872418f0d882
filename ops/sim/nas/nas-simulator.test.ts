// Tests of the NAS simulator: a CoA client on loopback sees ACK, NAK, silence and drops as configured.
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
  checkMessageAuthenticator,
  decodePacket,
  encodeRequest,
  getInteger,
  integerAttribute,
  type RadiusPacket,
  stringAttribute,
  verifyResponseAuthenticator,
} from '@kiunga/aaa-server/codec';
import { Attribute, ErrorCause, PacketCode } from '@kiunga/dictionaries';
import { afterEach, describe, expect, it } from 'vitest';
import { type NasSimulator, parseBehaviour, startNasSimulator } from './nas-simulator';

const SECRET = 'nas-simulator-secret';
/** Long enough for a loopback answer on a loaded test machine; silence is judged after this. */
const ANSWER_WAIT_MS = 400;
const ATTEMPTS_MAX = 5;

let simulator: NasSimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

function buildRequest(
  code: number,
  options: { secret?: string; includeMessageAuthenticator?: boolean } = {},
) {
  return encodeRequest({
    code,
    identifier: 7,
    attributes: [
      stringAttribute(Attribute.UserName, 'voucher-1234'),
      stringAttribute(Attribute.AcctSessionId, '81d00001'),
      integerAttribute(Attribute.SessionTimeout, 600),
    ],
    secret: options.secret ?? SECRET,
    includeMessageAuthenticator: options.includeMessageAuthenticator ?? false,
  });
}

/** Sends the same bytes up to `attempts` times, as a CoA client retransmits; resolves with the first answer. */
async function exchange(port: number, packet: Buffer, attempts = 1): Promise<RadiusPacket | undefined> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, resolve));
  try {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = new Promise<Buffer | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), ANSWER_WAIT_MS);
        socket.once('message', (message) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
      socket.send(packet, port, '127.0.0.1');
      const message = await answer;
      if (message !== undefined) return decodePacket(message);
      socket.removeAllListeners('message');
    }
    return undefined;
  } finally {
    socket.close();
  }
}

function requestAuthenticatorOf(packet: Buffer): Buffer {
  return packet.subarray(4, 20);
}

describe('startNasSimulator', () => {
  it('acknowledges a Disconnect-Request with a valid response authenticator and records it', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: SECRET, behaviour: 'ack' });
    const request = buildRequest(PacketCode.DisconnectRequest);
    const response = await exchange(simulator.port, request);
    expect(response?.code).toBe(PacketCode.DisconnectAck);
    expect(response?.identifier).toBe(7);
    expect(verifyResponseAuthenticator(response!, requestAuthenticatorOf(request), SECRET)).toBe(true);
    expect(simulator.received).toHaveLength(1);
    expect(simulator.received[0]?.code).toBe(PacketCode.DisconnectRequest);
    expect(simulator.received[0]?.outcome).toBe('ack');
    const userName = simulator.received[0]?.attributes.find((item) => item.type === Attribute.UserName);
    expect(userName?.value.toString()).toBe('voucher-1234');
  });

  it('answers a signed CoA-Request with a signed CoA-ACK', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: SECRET, behaviour: 'ack' });
    const request = buildRequest(PacketCode.CoaRequest, { includeMessageAuthenticator: true });
    const response = await exchange(simulator.port, request);
    expect(response?.code).toBe(PacketCode.CoaAck);
    expect(verifyResponseAuthenticator(response!, requestAuthenticatorOf(request), SECRET)).toBe(true);
    expect(checkMessageAuthenticator(response!, SECRET, requestAuthenticatorOf(request))).toBe('valid');
  });

  it('refuses with NAK and Error-Cause Session-Context-Not-Found', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: SECRET, behaviour: 'nak' });
    const coa = await exchange(simulator.port, buildRequest(PacketCode.CoaRequest));
    expect(coa?.code).toBe(PacketCode.CoaNak);
    expect(getInteger(coa!, Attribute.ErrorCause)).toBe(ErrorCause.SessionContextNotFound);
    const disconnect = await exchange(simulator.port, buildRequest(PacketCode.DisconnectRequest));
    expect(disconnect?.code).toBe(PacketCode.DisconnectNak);
    expect(getInteger(disconnect!, Attribute.ErrorCause)).toBe(ErrorCause.SessionContextNotFound);
  });

  it('records but does not answer when silent', async () => {
    simulator = await startNasSimulator({
      host: '127.0.0.1',
      coaPort: 0,
      secret: SECRET,
      behaviour: 'silent',
    });
    const response = await exchange(simulator.port, buildRequest(PacketCode.DisconnectRequest));
    expect(response).toBeUndefined();
    expect(simulator.received.map((item) => item.outcome)).toEqual(['silent']);
  });

  it('drops the first N transmissions, then acknowledges a retransmit', async () => {
    simulator = await startNasSimulator({
      host: '127.0.0.1',
      coaPort: 0,
      secret: SECRET,
      behaviour: 'ack-after-drops:2',
    });
    const response = await exchange(simulator.port, buildRequest(PacketCode.CoaRequest), ATTEMPTS_MAX);
    expect(response?.code).toBe(PacketCode.CoaAck);
    expect(simulator.counters.droppedOnPurpose).toBe(2);
    expect(simulator.received.map((item) => item.outcome)).toEqual(['dropped', 'dropped', 'ack']);
  });

  it('drops silently and counts a request signed with another secret', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: SECRET, behaviour: 'ack' });
    const response = await exchange(simulator.port, buildRequest(PacketCode.CoaRequest, { secret: 'wrong' }));
    expect(response).toBeUndefined();
    expect(simulator.received).toHaveLength(0);
    expect(simulator.counters.invalidAuthenticator).toBe(1);
  });

  it('drops a request whose Message-Authenticator was tampered with', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.1', coaPort: 0, secret: SECRET, behaviour: 'ack' });
    const request = buildRequest(PacketCode.DisconnectRequest, { includeMessageAuthenticator: true });
    // The encoder puts Message-Authenticator first: its value starts right after header and attribute header.
    request[22] = (request[22]! + 1) & 0xff;
    // Re-sign the request authenticator so only the Message-Authenticator is wrong.
    request.fill(0, 4, 20);
    createHash('md5').update(request).update(SECRET).digest().copy(request, 4);
    expect(await exchange(simulator.port, request)).toBeUndefined();
    expect(simulator.counters.invalidAuthenticator).toBe(1);
  });

  it('switches behaviour at run time and listens on any loopback address', async () => {
    simulator = await startNasSimulator({ host: '127.0.0.5', coaPort: 0, secret: SECRET, behaviour: 'nak' });
    expect(simulator.host).toBe('127.0.0.5');
    simulator.setBehaviour('ack');
    const socket = createSocket('udp4');
    const answer = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(buildRequest(PacketCode.CoaRequest), simulator.port, '127.0.0.5');
    const response = decodePacket(await answer);
    socket.close();
    expect(response.code).toBe(PacketCode.CoaAck);
  });

  it('refuses a non-loopback address and an unknown behaviour', async () => {
    await expect(
      startNasSimulator({ host: '0.0.0.0', coaPort: 0, secret: SECRET, behaviour: 'ack' }),
    ).rejects.toThrow(/loopback/);
    expect(() => parseBehaviour('ack-after-drops:x')).toThrow(/behaviour/);
    expect(parseBehaviour('ack-after-drops:3')).toBe('ack-after-drops:3');
  });
});
