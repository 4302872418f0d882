// One webhook delivery attempt: POST the signed body to the ISP's URL and report what happened for the
// delivery log. The host is resolved once and every address checked by the SSRF guard inside the socket's
// own lookup, so the address connected to is the address checked (no DNS-rebinding window); redirects are
// never followed; the whole attempt has a timeout; at most a few kB of the answer are read.
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Clock } from '@kiunga/schemas';
import { addressRefusal, checkWebhookUrl, type DestinationPolicy } from '../core/destination';
import type { AttemptResult } from '../core/retry-schedule';
import { SIGNATURE_HEADER, signatureHeader } from '../core/signature';

/** Connect, send and get the status within this (GitHub and Stripe allow receivers about 10 s). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A receiver's answer is read up to this much for the log, then the connection is dropped. */
export const RESPONSE_READ_BYTES_MAX = 4 * 1024;
/** What of the answer the delivery log keeps. */
export const RESPONSE_EXCERPT_CHARS_MAX = 500;
const USER_AGENT = 'Kiunga-Webhooks/1';

export type DeliveryOutcome =
  | {
      readonly kind: 'delivered';
      readonly httpStatus: number;
      readonly durationMs: number;
      readonly responseExcerpt: string;
    }
  | {
      readonly kind: 'failed';
      /** null when no answer came (network error, timeout). */
      readonly httpStatus: number | null;
      readonly durationMs: number;
      readonly error: string;
      readonly responseExcerpt: string | null;
    }
  /** The SSRF guard refused the URL or every address it resolves to: nothing was sent. */
  | { readonly kind: 'refused'; readonly reason: string };

export interface DeliverWebhookInput {
  readonly url: string;
  /** The exact body to send and sign (deliveryBody(event)). */
  readonly body: string;
  /** The endpoint's secret; two during a rotation. */
  readonly secrets: string | readonly string[];
  readonly clock: Clock;
  readonly policy: DestinationPolicy;
  readonly timeoutMs?: number;
  /** Tests and the registration check inject one; otherwise the system resolver (all addresses). */
  readonly resolveHost?: (hostname: string) => Promise<string[]>;
}

class DestinationRefusedError extends Error {}

export async function resolveAllAddresses(hostname: string): Promise<string[]> {
  const entries = await dnsLookup(hostname, { all: true, verbatim: true });
  return entries.map((entry) => entry.address);
}

/**
 * Resolves a host and checks every address (a name that resolves to one public and one private address
 * is refused). Used at registration (to tell the ISP at once) and inside each delivery's socket lookup.
 */
export async function checkedAddresses(
  hostname: string,
  policy: DestinationPolicy,
  resolveHost: (hostname: string) => Promise<string[]> = resolveAllAddresses,
): Promise<string[]> {
  const addresses = await resolveHost(hostname);
  if (addresses.length === 0) throw new Error(`${hostname} has no address`);
  for (const address of addresses) {
    const refusal = addressRefusal(address, policy);
    if (refusal !== null)
      throw new DestinationRefusedError(`${hostname} resolves to ${refusal.replace(/^\S+ is /, '')}`);
  }
  return addresses;
}

function guardedLookup(
  policy: DestinationPolicy,
  resolveHost: (hostname: string) => Promise<string[]>,
): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    checkedAddresses(hostname, policy, resolveHost).then(
      (addresses) => {
        const entries = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
        if (options.all === true) callback(null, entries);
        else callback(null, entries[0]?.address, entries[0]?.family);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

export async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryOutcome> {
  const check = checkWebhookUrl(input.url, input.policy);
  if (!check.isAllowed) return { kind: 'refused', reason: check.reason };
  const startedAt = input.clock.now();
  const timestampSeconds = Math.floor(startedAt / 1000);
  const transport = check.url.protocol === 'https:' ? https : http;
  const headers = {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(input.body, 'utf8')),
    'User-Agent': USER_AGENT,
    [SIGNATURE_HEADER]: signatureHeader(input.secrets, timestampSeconds, input.body),
  };
  const elapsed = () => Math.max(0, input.clock.now() - startedAt);
  try {
    const answer = await post(transport, check.url, {
      headers,
      body: input.body,
      timeoutMs: input.timeoutMs ?? DELIVERY_TIMEOUT_MS,
      lookup: guardedLookup(input.policy, input.resolveHost ?? resolveAllAddresses),
    });
    const responseExcerpt = answer.text.slice(0, RESPONSE_EXCERPT_CHARS_MAX);
    if (answer.status >= 200 && answer.status <= 299) {
      return { kind: 'delivered', httpStatus: answer.status, durationMs: elapsed(), responseExcerpt };
    }
    return {
      kind: 'failed',
      httpStatus: answer.status,
      durationMs: elapsed(),
      error: `the receiver answered HTTP ${answer.status}`,
      responseExcerpt,
    };
  } catch (error) {
    if (error instanceof DestinationRefusedError) return { kind: 'refused', reason: error.message };
    return {
      kind: 'failed',
      httpStatus: null,
      durationMs: elapsed(),
      error: describeFailure(error),
      responseExcerpt: null,
    };
  }
}

/** How the retry schedule reads an outcome: a refused destination is never retried. */
export function attemptResultOf(outcome: DeliveryOutcome): AttemptResult {
  if (outcome.kind === 'delivered') return { kind: 'delivered' };
  if (outcome.kind === 'refused') return { kind: 'permanent', error: outcome.reason };
  return { kind: 'retryable', error: outcome.error };
}

interface PostOptions {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly timeoutMs: number;
  readonly lookup: LookupFunction;
}

function post(
  transport: typeof http | typeof https,
  url: URL,
  options: PostOptions,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: 'POST',
      headers: options.headers,
      lookup: options.lookup,
      agent: false,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        response.destroy();
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      };
      response.on('data', (chunk: Buffer) => {
        const room = RESPONSE_READ_BYTES_MAX - size;
        chunks.push(chunk.subarray(0, Math.max(0, room)));
        size += chunk.length;
        if (size >= RESPONSE_READ_BYTES_MAX) finish();
      });
      response.on('end', finish);
      response.on('error', finish);
    });
    request.end(options.body);
  });
}

function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'no answer in time';
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${code}: ${error.message}`;
  }
  return String(error);
}
