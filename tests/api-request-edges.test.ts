// End to end: security headers on pages and API answers, and request body limits per route family
// (413 payload_too_large, with or without Content-Length), after which the server is still up.
import { describe, expect, it } from 'vitest';
import { login } from './support/identity-client';
import { useDemoKiunga } from './support/kiunga-process';
import { rawRequest, sendWholeBodyThenRead } from './support/raw-http';

const suite = useDemoKiunga();
const KIB = 1024;
const MIB = 1024 * KIB;

describe('security headers', () => {
  it('are on a console page, the captive portal, the self-service portal and API answers', async () => {
    const tenant = suite.demo.tenants[0]!;
    const owner = await login(suite.baseUrl, tenant.owner);
    const answers = {
      consolePage: await fetch(`${suite.baseUrl}/login`),
      captivePortal: await fetch(`${suite.baseUrl}/portal/${tenant.slug}`),
      selfService: await fetch(`${suite.baseUrl}/account/${tenant.slug}/login`),
      apiAnswer: await fetch(`${suite.baseUrl}/api/v1/plans`, {
        headers: { authorization: `Bearer ${owner.token}` },
      }),
      apiError: await fetch(`${suite.baseUrl}/api/v1/me`),
      notFound: await fetch(`${suite.baseUrl}/no/such/page`),
    };
    expect(answers.apiAnswer.status).toBe(200);
    expect(answers.apiError.status).toBe(401);
    for (const [name, response] of Object.entries(answers)) {
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, name).toContain("default-src 'self'");
      expect(policy, name).toContain("frame-ancestors 'none'");
      expect(policy, name).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
      expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), name).toBe('DENY');
      expect(response.headers.get('referrer-policy'), name).toBe('strict-origin-when-cross-origin');
      // KIUNGA_PUBLIC_URL is plain http here: no HSTS.
      expect(response.headers.get('strict-transport-security'), name).toBeNull();
    }
  });

  it("the portal's inline script carries the nonce of its own answer", async () => {
    const response = await fetch(`${suite.baseUrl}/portal/${suite.demo.tenants[0]!.slug}`);
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toBe(` nonce="${nonce}"`);
  });
});

describe('request body limits', () => {
  const postLogin = (options: { body?: string; chunkedBytes?: number }) =>
    rawRequest(suite.baseUrl, {
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      ...options,
    });

  it('an API body over 1 MiB is refused 413, with or without Content-Length', async () => {
    const declared = await postLogin({ body: `{"email":"a@b.example","password":"${'x'.repeat(2 * MIB)}"}` });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({
      error: {
        code: 'payload_too_large',
        message: 'The request body is larger than 1024 KiB.',
        details: { limitBytes: MIB },
      },
    });
    const chunked = await postLogin({ chunkedBytes: 2 * MIB });
    expect(chunked.status).toBe(413);
    expect(chunked.json.error.code).toBe('payload_too_large');
    // The 50 MB login of the report: cut off at the limit, never buffered whole.
    const huge = await postLogin({ chunkedBytes: 50 * MIB });
    expect(huge.status).toBe(413);
  });

  it('a client that sends its whole oversized body before reading still reads the 413, not a reset', async () => {
    // RFC 9112 §9.6: closing at once while the body still arrives resets the connection, and the
    // client loses the answer; the server closes in stages (half-close, discard, then close).
    const answer = await sendWholeBodyThenRead(suite.baseUrl, {
      path: `/portal/${suite.demo.tenants[0]!.slug}/voucher`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: suite.baseUrl },
      bodyBytes: 16 * MIB,
    });
    expect(answer.writeError).toBeUndefined();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('"code":"payload_too_large"');
  });

  it('an API body under the limit is read and validated as usual', async () => {
    const answer = await postLogin({ body: `{"email":"a@b.example","password":"${'x'.repeat(900 * KIB)}"}` });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('validation_failed');
  });

  it('form bodies over 64 KiB are refused 413 on the console, the portal and self-service', async () => {
    const slug = suite.demo.tenants[0]!.slug;
    const padding = `pad=${'x'.repeat(80 * KIB)}`;
    for (const path of ['/login', `/portal/${slug}/voucher`, `/account/${slug}/login`]) {
      const headers = { 'content-type': 'application/x-www-form-urlencoded', origin: suite.baseUrl };
      const declared = await rawRequest(suite.baseUrl, { method: 'POST', path, headers, body: padding });
      expect(declared.status, path).toBe(413);
      expect(declared.json.error.code, path).toBe('payload_too_large');
      const chunked = await rawRequest(suite.baseUrl, {
        method: 'POST',
        path,
        headers,
        chunkedBytes: 80 * KIB,
      });
      expect(chunked.status, path).toBe(413);
    }
  });

  it('the server is still up and serving afterwards', async () => {
    expect((await fetch(`${suite.baseUrl}/healthz`)).status).toBe(200);
    expect((await login(suite.baseUrl, suite.demo.tenants[0]!.owner)).token).toEqual(expect.any(String));
  });
});
