// A bare UDP client for tests that craft their own datagrams (malformed, duplicated, MS-CHAPv2).
import { createSocket } from 'node:dgram';

/** Sends one datagram from a fresh socket and waits for one answer, or null after the timeout. */
export async function exchange(
  datagram: Buffer,
  port: number,
  options: { timeoutMs?: number; host?: string; repeat?: number } = {},
): Promise<Buffer[]> {
  const socket = createSocket('udp4');
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  const answers: Buffer[] = [];
  socket.on('message', (message) => answers.push(message));
  for (let index = 0; index < (options.repeat ?? 1); index += 1) {
    socket.send(datagram, port, options.host ?? '127.0.0.1');
  }
  await new Promise((done) => setTimeout(done, options.timeoutMs ?? 500));
  await new Promise<void>((done) => socket.close(() => done()));
  return answers;
}
