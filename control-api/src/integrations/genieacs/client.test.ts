// The client's own limits against a misbehaving NBI on loopback: oversized and malformed answers,
// silence, redirects, a closed port. (Normal behaviour is tested against the simulator in ops/sim/genieacs.)
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePathSegment, GenieAcsClient } from './client';
import { GenieAcsError } from './errors';

const servers: Server[] = [];

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function rejection(promise: Promise<unknown>): Promise<GenieAcsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof GenieAcsError)) throw new Error(`expected a GenieAcsError, got ${String(error)}`);
  return error;
}

describe('GenieAcsClient limits', () => {
  it('stops reading an answer larger than the cap', async () => {
    const baseUrl = await serve((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(`[${'{"_id":"x"},'.repeat(2_000)}{"_id":"y"}]`);
    });
    const client = new GenieAcsClient({ baseUrl, responseBytesMax: 4_096 });
    const error = await rejection(client.listDevices());
    expect(error.kind).toBe('invalid_response');
    expect(error.message).toMatch(/larger than 4096 bytes/);
  });

  it('gives up on a silent NBI after the timeout', async () => {
    const baseUrl = await serve(() => {
      // Never answers.
    });
    const client = new GenieAcsClient({ baseUrl, timeoutMs: 200 });
    const error = await rejection(client.listDevices());
    expect(error.kind).toBe('timeout');
    expect(error.isRetryable).toBe(true);
  });

  it('refuses an answer that is not the documented JSON', async () => {
    const baseUrl = await serve((_request, response) => {
      response.writeHead(200);
      response.end('<html>proxy login</html>');
    });
    expect((await rejection(new GenieAcsClient({ baseUrl }).listDevices())).kind).toBe('invalid_response');
  });

  it('never follows a redirect', async () => {
    let requests = 0;
    const baseUrl = await serve((_request, response) => {
      requests += 1;
      response.writeHead(302, { Location: '/devices/' });
      response.end();
    });
    const error = await rejection(new GenieAcsClient({ baseUrl }).listDevices());
    expect(error).toMatchObject({ kind: 'http', httpStatus: 302 });
    expect(requests).toBe(1);
  });

  it('reports a closed port as a network failure', async () => {
    const baseUrl = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    expect((await rejection(new GenieAcsClient({ baseUrl }).listDevices())).kind).toBe('network');
  });

  it('refuses half a set of credentials and non-http URLs', () => {
    expect(() => new GenieAcsClient({ baseUrl: 'http://127.0.0.1:7557', username: 'u' })).toThrow(RangeError);
    expect(() => new GenieAcsClient({ baseUrl: 'ftp://127.0.0.1' })).toThrow(RangeError);
  });
});

describe('encodePathSegment', () => {
  it('leaves what GenieACS ids are made of and escapes everything else, percent signs included', () => {
    expect(encodePathSegment('00259E-HG8245H-4857_5443')).toBe('00259E-HG8245H-4857_5443');
    expect(encodePathSegment('50C7BF-Archer%20C6-1')).toBe('50C7BF-Archer%2520C6-1');
    expect(encodePathSegment('dev:task_1.x')).toBe('dev%3Atask_1%2Ex');
    expect(decodeURIComponent(encodePathSegment('Wi-Fi é/ü'))).toBe('Wi-Fi é/ü');
  });
});
