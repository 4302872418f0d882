// End to end: with a Daraja base URL that is not a loopback simulator, Kiunga refuses to register or
// push with the demo's plain-http callback URLs (Daraja takes only https), tells the operator to set an
// https KIUNGA_PUBLIC_URL, and the portal stops offering "Buy". Nothing is ever sent: the base URL
// below is never contacted (tests stay on loopback).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from './support/api-client';
import {
  type DemoJson,
  makeDataDir,
  type RunningKiunga,
  removeDataDir,
  seedDemo,
  startKiunga,
} from './support/kiunga-process';

/** `.invalid` never resolves (RFC 2606): were anything sent there, the test would see a network failure. */
const REAL_LOOKING_DARAJA = 'https://daraja.invalid';

let dataDir: string;
let demo: DemoJson;
let kiunga: RunningKiunga;

beforeAll(async () => {
  dataDir = makeDataDir();
  demo = await seedDemo(dataDir);
  kiunga = await startKiunga(dataDir, { KIUNGA_MPESA_BASE_URL: REAL_LOOKING_DARAJA });
});

afterAll(async () => {
  const exitCode = await kiunga?.stop();
  removeDataDir(dataDir);
  expect(exitCode).toBe(0);
});

const tenant = () => demo.tenants[0]!;

describe('plain http callback URLs with a real Daraja', () => {
  it('refuses to register the C2B URLs and tells the operator to set an https KIUNGA_PUBLIC_URL', async () => {
    const owner = await login(kiunga.baseUrl, tenant().owner);
    let settings = (await owner.get('/api/v1/settings/mpesa')).body;
    for (let attempt = 0; attempt < 100 && settings.c2bRegistration.status === 'pending'; attempt += 1) {
      await new Promise((done) => setTimeout(done, 100));
      settings = (await owner.get('/api/v1/settings/mpesa')).body;
    }
    expect(settings.c2bRegistration).toMatchObject({
      status: 'failed',
      errorCode: 'mpesa_callback_url_refused',
    });
    expect(settings.c2bRegistration.lastError).toContain('https');
    expect(settings.c2bRegistration.lastError).toContain('KIUNGA_PUBLIC_URL');
    expect(settings.c2bRegistration.lastError).toContain(kiunga.baseUrl);
    expect(settings.c2bRegistration.lastError).not.toContain('/callbacks/');
  });

  it('stops offering "Buy" and refuses a push with mpesa_unavailable, logging what to change', async () => {
    const page = await (await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}`)).text();
    expect(page).not.toContain('id="buy"');
    expect(page).toContain('M-Pesa payments are not available right now');
    const plan = tenant().plans.find((item) => item.kind === 'hotspot')!;
    const response = await fetch(`${kiunga.baseUrl}/portal/${tenant().slug}/api/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ planId: plan.id, phone: '0712345678' }),
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('mpesa_unavailable');
    expect(kiunga.output()).toMatch(/Daraja accepts only https callback URLs.*set KIUNGA_PUBLIC_URL/);
  });
});
