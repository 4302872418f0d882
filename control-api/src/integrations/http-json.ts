// One JSON-over-HTTP call for the payment providers' clients: a timeout, a cap on the answer's size,
// and the body parsed when it is JSON. Each client keeps its own error type through `fail`.

/** PUT is Xero's documented create verb; the payment providers use GET and POST. */
export type JsonMethod = 'GET' | 'POST' | 'PUT';

export interface JsonResponse {
  readonly status: number;
  /** The parsed JSON; the raw text when it is not JSON; undefined when the body is empty. */
  readonly body: unknown;
  /** The answer's headers (Retry-After on a 429, for the accounting APIs). */
  readonly headers: Headers;
}

export type JsonCallFailureKind = 'timeout' | 'network' | 'invalid_response';

export interface JsonCallFailureDetails {
  readonly httpStatus?: number;
  readonly cause?: unknown;
}

export interface JsonCallOptions {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly method: JsonMethod;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  /** For the whole call, body included. */
  readonly timeoutMs: number;
  /** A longer answer is refused before it is parsed. */
  readonly responseBodyCharsMax: number;
  /** The provider's name in messages: "Daraja", "PayPal". */
  readonly providerName: string;
  /** Builds the error the provider's client throws. */
  readonly fail: (kind: JsonCallFailureKind, message: string, details: JsonCallFailureDetails) => Error;
}

/** Sends one request; any status is an answer, only a timeout, a failed connection or an oversized body throw. */
export async function callJson(options: JsonCallOptions): Promise<JsonResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let text: string;
  let status: number;
  let headers: Headers;
  try {
    const response = await options.fetch(options.url, {
      method: options.method,
      headers: { Accept: 'application/json', ...options.headers },
      body: options.body,
      signal,
    });
    status = response.status;
    headers = response.headers;
    text = await response.text();
  } catch (error) {
    const isTimeout = signal.aborted || (error instanceof Error && error.name === 'TimeoutError');
    if (isTimeout) {
      throw options.fail('timeout', `no answer within ${options.timeoutMs} ms`, { cause: error });
    }
    throw options.fail('network', `connection to ${options.providerName} failed`, { cause: error });
  }
  if (text.length > options.responseBodyCharsMax) {
    throw options.fail('invalid_response', `${options.providerName} answer is too large`, {
      httpStatus: status,
    });
  }
  return { status, body: parseJsonOrText(text), headers };
}

export interface JsonEndpointOptions {
  /** Trailing slashes are dropped; each call appends its path. */
  readonly baseUrl: string;
  /** Tests inject one; otherwise the global fetch. */
  readonly fetch?: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly responseBodyCharsMax: number;
  readonly providerName: string;
  /** Builds the provider's error for a failed call to `path`. */
  readonly fail: (
    kind: JsonCallFailureKind,
    message: string,
    details: JsonCallFailureDetails,
    path: string,
  ) => Error;
}

export type JsonEndpoint = (
  method: JsonMethod,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<JsonResponse>;

/** A provider's base URL, fetch and limits, checked once; each call then names only what differs. */
export function jsonEndpoint(options: JsonEndpointOptions): JsonEndpoint {
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError('timeoutMs must be a positive integer');
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchFunction = options.fetch ?? globalThis.fetch;
  return (method, path, headers, body) =>
    callJson({
      fetch: fetchFunction,
      url: `${baseUrl}${path}`,
      method,
      headers,
      body,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: options.responseBodyCharsMax,
      providerName: options.providerName,
      fail: (kind, message, details) => options.fail(kind, message, details, path),
    });
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Left as text: the caller's schema refuses it.
    return text;
  }
}
