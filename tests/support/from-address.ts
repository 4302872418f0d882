// HTTP requests sent from a chosen loopback source address (127.0.0.x), so a test can stand for
// several clients: per-address limits see each address apart. Linux routes all of 127.0.0.0/8 to lo.
import { request } from 'node:http';

export interface AddressedResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Record<string, string | string[] | undefined>;
  json<T = unknown>(): T;
}

export function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<AddressedResponse> {
  const body =
    options.json !== undefined
      ? JSON.stringify(options.json)
      : options.form !== undefined
        ? new URLSearchParams(options.form).toString()
        : undefined;
  const headers: Record<string, string> = {};
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, localAddress },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: incoming.statusCode ?? 0,
            text,
            headers: incoming.headers,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
