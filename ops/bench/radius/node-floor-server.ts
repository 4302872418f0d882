// The benchmark's floor: the least a Node RADIUS server can do per request (receive, one signed reply, send).
// Every Access-Request gets an Access-Accept and every Accounting-Request an Accounting-Response, with
// no attributes and no lookup: only the Response Authenticator (RFC 2865 §3, RFC 2866 §4), through the
// same codec Kiunga uses. Its CPU per request, on the same paced stream, is what Node's UDP receive,
// event loop and send cost before any of Kiunga's own work (ops/bench/radius/node-floor.ts).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodePacket, encodeResponse } from '@kiunga/aaa-server/codec';
import { PacketCode } from '@kiunga/dictionaries';

const HOST = '127.0.0.1';
/** The same receive buffer as Kiunga's sockets (aaa-server/src/server.ts), so bursts are absorbed alike. */
const SOCKET_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

function answer(socket: Socket, secret: string, datagram: Buffer, peer: RemoteInfo): void {
  const packet = decodePacket(datagram);
  const code =
    packet.code === PacketCode.AccountingRequest ? PacketCode.AccountingResponse : PacketCode.AccessAccept;
  const reply = encodeResponse({
    code,
    identifier: packet.identifier,
    requestAuthenticator: packet.authenticator,
    attributes: [],
    secret,
    includeMessageAuthenticator: false,
  });
  socket.send(reply, peer.port, peer.address);
}

async function listen(port: number, secret: string): Promise<void> {
  const socket = createSocket({
    type: 'udp4',
    recvBufferSize: SOCKET_RECEIVE_BUFFER_BYTES,
    // As Kiunga's sockets: replies go to an IP literal, so no dns.lookup per send.
    lookup: (address, _options, callback) => callback(null, address, 4),
  });
  socket.on('message', (datagram, peer) => answer(socket, secret, datagram, peer));
  await new Promise<void>((resolve) => socket.bind(port, HOST, resolve));
}

const [authPort, acctPort, secret] = process.argv.slice(2);
if (authPort === undefined || acctPort === undefined || secret === undefined) {
  throw new Error('usage: node-floor-server.ts <auth port> <acct port> <secret>');
}
await listen(Number(authPort), secret);
await listen(Number(acctPort), secret);
console.log('ready');
