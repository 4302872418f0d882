// One JSON call to an accounting vendor: callJson (http-json.ts) with the two things these APIs add —
// PUT (Xero's documented create verb) and the response headers (Retry-After on a 429). callJson types
// only GET/POST and returns no headers, so the method is set and the headers are kept by a per-call
// fetch wrapper; when http-json grows both, this file shrinks to a call of it.
import { callJson, type JsonCallFailureDetails, type JsonCallFailureKind } from '../http-json';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface VendorResponse {
  readonly status: number;
  /** Parsed JSON; raw text when not JSON; undefined when empty. */
  readonly body: unknown;
  readonly headers: Headers;
}

export interface VendorEndpointOptions {
  /** Trailing slashes dropped; each call appends its path (with its query). */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch | undefined;
  readonly timeoutMs: number;
  readonly responseBodyCharsMax: number;
  readonly providerName: string;
  readonly fail: (
    kind: JsonCallFailureKind,
    message: string,
    details: JsonCallFailureDetails,
    path: string,
  ) => Error;
}

export type VendorEndpoint = (
  method: HttpMethod,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<VendorResponse>;

export function vendorEndpoint(options: VendorEndpointOptions): VendorEndpoint {
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError('timeoutMs must be a positive integer');
  }
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const baseFetch = options.fetch ?? globalThis.fetch;
  return async (method, path, headers, body) => {
    let responseHeaders = new Headers();
    const fetchWithMethod: typeof fetch = async (input, init) => {
      const response = await baseFetch(input, { ...init, method });
      responseHeaders = response.headers;
      return response;
    };
    const response = await callJson({
      fetch: fetchWithMethod,
      url: `${baseUrl}${path}`,
      method: method === 'GET' ? 'GET' : 'POST',
      headers,
      body,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: options.responseBodyCharsMax,
      providerName: options.providerName,
      fail: (kind, message, details) => options.fail(kind, message, details, path),
    });
    return { status: response.status, body: response.body, headers: responseHeaders };
  };
}
