// Security headers: a CSP whose script nonce is the one the page renders, on errors too; HSTS
// only when the public URL is https.
import { Hono } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { describe, expect, it } from 'vitest';
import { InlineScript } from '../../console/inline-script';
import { securityHeaders } from './security-headers';

function appFor(publicUrl: string) {
  const app = new Hono();
  app.use('*', contextStorage());
  app.use('*', securityHeaders({ publicUrl }));
  app.get('/page', (context) => context.html(String(InlineScript({ source: 'window.ran=1' }))));
  app.get('/fails', () => {
    throw new Error('boom');
  });
  app.onError((_error, context) => context.json({ error: { code: 'internal_error' } }, 500));
  return app;
}

describe('securityHeaders', () => {
  it("puts this response's nonce both in the CSP and on the page's inline script", async () => {
    const response = await appFor('http://127.0.0.1:8080').request('/page');
    const policy = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(await response.text()).toBe(`<script nonce="${nonce}">window.ran=1</script>`);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    const second = (await appFor('http://127.0.0.1:8080').request('/page')).headers.get(
      'content-security-policy',
    );
    expect(second).not.toBe(policy);
  });

  it('sends the headers on error answers too', async () => {
    const response = await appFor('http://127.0.0.1:8080').request('/fails');
    expect(response.status).toBe(500);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('asks for HTTPS only when the public URL is https', async () => {
    const plain = await appFor('http://127.0.0.1:8080').request('/page');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const secure = await appFor('https://wifi.example.co.ke').request('/page');
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=15552000');
  });
});

describe('InlineScript', () => {
  it('renders without a nonce outside a request (a view rendered on its own)', async () => {
    expect(String(InlineScript({ source: '1' }))).toBe('<script>1</script>');
  });
});
