// HTTP requests as fetch cannot send them: from a chosen loopback source address (127.0.0.0/8 is
// all on lo, so a client may bind any of it), with any headers, and with a chunked body of a
// chosen size (no Content-Length).
import { request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Sent with Content-Length. */
  body?: string | Buffer;
  /** Sent chunked (no Content-Length): this many bytes of `chunkedByte`, in 64 KiB writes. */
  chunkedBytes?: number;
  chunkedByte?: string;
  /** A 127.x.y.z address to connect from; default: the system's choice (127.0.0.1). */
  localAddress?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers loosely and assert on them.
  json: any;
}

const CHUNK_BYTES = 64 * 1024;

export function rawRequest(baseUrl: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    let isAnswered = false;
    const outgoing = request(
      url,
      {
        method: options.method,
        headers: {
          ...options.headers,
          ...(options.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(options.body)) }
            : {}),
        },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        agent: false,
      },
      (response) => {
        // A client that gets an early answer (413) stops sending the body, as curl and browsers do.
        isAnswered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
          // A body cut short by an early answer is never finished: let the connection go.
          outgoing.destroy();
        });
        response.on('error', reject);
      },
    );
    // The server may answer (413) and close before the whole body is written: that is the point.
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    // Closed without any answer (a reset before the answer could be read): fail, never hang.
    outgoing.on('close', () => {
      if (!isAnswered)
        reject(new Error(`${options.method} ${options.path}: the connection closed before an answer`));
    });
    if (options.chunkedBytes !== undefined) {
      writeChunked(outgoing, options.chunkedBytes, options.chunkedByte ?? 'a', () => isAnswered);
      return;
    }
    outgoing.end(options.body);
  });
}

function writeChunked(
  outgoing: ReturnType<typeof request>,
  totalBytes: number,
  byte: string,
  isAnswered: () => boolean,
): void {
  const chunk = Buffer.alloc(CHUNK_BYTES, byte);
  let written = 0;
  const writeMore = () => {
    while (written < totalBytes && !outgoing.destroyed && !isAnswered()) {
      const size = Math.min(CHUNK_BYTES, totalBytes - written);
      written += size;
      if (!outgoing.write(size === CHUNK_BYTES ? chunk : chunk.subarray(0, size))) {
        outgoing.once('drain', writeMore);
        return;
      }
    }
    if (!outgoing.destroyed && !isAnswered()) outgoing.end();
  };
  writeMore();
}

export interface WholeBodyRequest {
  path: string;
  headers: Record<string, string>;
  bodyBytes: number;
  /** Sent with Transfer-Encoding: chunked (one chunk per 64 KiB write) instead of Content-Length. */
  isChunked?: boolean;
}

/**
 * A client that writes its whole body before it reads anything, over raw TCP (as a slow or simple
 * client does): whether it still reads an early answer (413) or loses it to a reset (RFC 9112 §9.6).
 */
export async function sendWholeBodyThenRead(
  baseUrl: string,
  options: WholeBodyRequest,
): Promise<{ writeError?: string; text: string }> {
  const url = new URL(baseUrl);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.pause();
  const received: Buffer[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let writeError: string | undefined;
  socket.on('error', (error: NodeJS.ErrnoException) => {
    writeError ??= error.code ?? error.message;
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const framing = options.isChunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${options.bodyBytes}`;
  const head = [
    `POST ${options.path} HTTP/1.1`,
    `Host: ${url.host}`,
    ...Object.entries(options.headers).map(([name, value]) => `${name}: ${value}`),
    framing,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  const chunk = Buffer.alloc(CHUNK_BYTES, 'a');
  // Each write is one 64 KiB chunk of the body, framed once here when the body is chunked.
  const piece = options.isChunked
    ? Buffer.concat([Buffer.from(`${CHUNK_BYTES.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
    : chunk;
  const written = (data: Buffer | string) =>
    new Promise<void>((resolve) => socket.write(data, () => resolve()));
  await written(head);
  for (let sent = 0; sent < options.bodyBytes && !socket.destroyed; sent += chunk.length)
    await written(piece);
  if (options.isChunked && !socket.destroyed) await written('0\r\n\r\n');
  socket.on('data', (data: Buffer) => received.push(data));
  socket.resume();
  await closed;
  return { ...(writeError ? { writeError } : {}), text: Buffer.concat(received).toString('utf8') };
}
