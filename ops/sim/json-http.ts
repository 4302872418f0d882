// The HTTP plumbing the accounting simulators share: read a bounded body, route, write JSON (or a
// redirect), and a scripted queue of failures (429 with Retry-After, 5xx) tests ask for.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** Accounting documents are small; larger bodies are refused unread. */
export const REQUEST_BODY_BYTES_MAX = 256 * 1024;

export interface SimulatorReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface SimulatorRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
}

/** A failure the next API calls answer with instead of doing anything. */
export interface ScriptedFailure {
  readonly status: 429 | 500 | 503;
  readonly retryAfterSeconds?: number;
}

export function createJsonServer(
  route: (request: SimulatorRequest) => SimulatorReply,
  tooLarge: SimulatorReply,
): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= REQUEST_BODY_BYTES_MAX) chunks.push(chunk);
    });
    request.on('end', () => {
      const reply =
        size > REQUEST_BODY_BYTES_MAX
          ? tooLarge
          : route({
              method: request.method ?? 'GET',
              url: new URL(request.url ?? '/', 'http://localhost'),
              headers: request.headers,
              text: Buffer.concat(chunks).toString(),
            });
      const isText = typeof reply.body === 'string';
      response.writeHead(reply.status, {
        'content-type': isText ? 'text/plain' : 'application/json; charset=utf-8',
        ...reply.headers,
      });
      response.end(isText ? (reply.body as string) : JSON.stringify(reply.body));
    });
  });
}

export function stopServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function headerOf(request: SimulatorRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** An amount with at most two decimals, as both vendors accept; null otherwise. */
export function centsOfAmount(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const match = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(String(value));
  if (!match) return null;
  const magnitude =
    Number.parseInt(match[2] ?? '0', 10) * 100 + Number.parseInt((match[3] ?? '').padEnd(2, '0'), 10);
  return match[1] === '-' ? -magnitude : magnitude;
}

export function amountOfCents(amount: number): number {
  const absolute = Math.abs(amount);
  return Number(
    `${amount < 0 ? '-' : ''}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`,
  );
}

export const YYYY_MM_DD = /^\d{4}-\d{2}-\d{2}$/;
