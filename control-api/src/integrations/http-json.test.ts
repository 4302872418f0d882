import { describe, expect, it } from 'vitest';
import { callJson, type JsonCallOptions } from './http-json';

class ProviderError extends Error {
  constructor(
    readonly kind: string,
    message: string,
    readonly httpStatus: number | undefined,
  ) {
    super(message);
  }
}

function options(fetchFunction: typeof fetch, overrides: Partial<JsonCallOptions> = {}): JsonCallOptions {
  return {
    fetch: fetchFunction,
    url: 'http://provider.test/path',
    method: 'GET',
    headers: {},
    body: undefined,
    timeoutMs: 1_000,
    responseBodyCharsMax: 100,
    providerName: 'Provider',
    fail: (kind, message, details) => new ProviderError(kind, message, details.httpStatus),
    ...overrides,
  };
}

const answering = (text: string, status = 200) =>
  (async () => new Response(text, { status })) as typeof fetch;

describe('callJson', () => {
  it('parses a JSON answer, keeps a non-JSON one as text and an empty one as undefined, whatever the status', async () => {
    await expect(callJson(options(answering('{"a":1}')))).resolves.toEqual({
      status: 200,
      body: { a: 1 },
      headers: expect.any(Headers),
    });
    await expect(callJson(options(answering('oops', 502)))).resolves.toEqual({
      status: 502,
      body: 'oops',
      headers: expect.any(Headers),
    });
    await expect(callJson(options(answering('', 202)))).resolves.toEqual({
      status: 202,
      body: undefined,
      headers: expect.any(Headers),
    });
  });

  it("keeps the answer's headers, for Retry-After on a 429", async () => {
    const limited = (async () =>
      new Response('{}', { status: 429, headers: { 'Retry-After': '7' } })) as typeof fetch;
    const response = await callJson(options(limited));
    expect(response.headers.get('retry-after')).toBe('7');
  });

  it("refuses an answer longer than the limit with the provider's error", async () => {
    const call = callJson(options(answering('x'.repeat(101))));
    await expect(call).rejects.toMatchObject({
      kind: 'invalid_response',
      message: 'Provider answer is too large',
      httpStatus: 200,
    });
  });

  it('tells a failed connection from a timeout', async () => {
    const refused = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(callJson(options(refused))).rejects.toMatchObject({
      kind: 'network',
      message: 'connection to Provider failed',
    });
    const silent = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    await expect(callJson(options(silent, { timeoutMs: 20 }))).rejects.toMatchObject({
      kind: 'timeout',
      message: 'no answer within 20 ms',
    });
  });
});
