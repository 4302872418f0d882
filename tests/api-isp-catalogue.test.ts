// End to end: NAS, plans, vouchers, branding and RADIUS settings through the REST API of a real ./kiunga.
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, apiRequest, login } from './support/api-client';
import { useDemoKiunga } from './support/kiunga-process';
import { radclient } from './support/radclient';

const suite = useDemoKiunga();
let owner: ApiClient;

beforeAll(async () => {
  owner = await login(suite.kiunga.baseUrl, suite.demo.tenants[0]!.owner);
});

const first = () => suite.demo.tenants[0]!;
const auth = (attributes: Record<string, string | number>) =>
  radclient({
    server: `127.0.0.1:${suite.kiunga.authPort}`,
    command: 'auth',
    secret: first().nas[0]!.secret,
    attributes,
  });

const hotspotPlanInput = {
  name: 'API 2 hours',
  kind: 'hotspot',
  priceCents: 3000,
  validitySeconds: 7200,
  deviceLimit: 2,
  rateUpKbps: 512,
  rateDownKbps: 1024,
};

describe('OpenAPI document', () => {
  it('is public and describes the ISP routes from their zod schemas', async () => {
    const response = await apiRequest(suite.kiunga.baseUrl, 'GET', '/api/v1/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    const post = response.body.paths['/api/v1/vouchers'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(['planId', 'count']);
    for (const path of [
      '/api/v1/nas',
      '/api/v1/plans/{id}',
      '/api/v1/subscribers',
      '/api/v1/sessions/{id}/disconnect',
    ])
      expect(response.body.paths[path]).toBeDefined();
  });
});

describe('NAS', () => {
  let nasId: string;

  it('registers a router by address, returns the secret once, and refuses duplicates and bad input', async () => {
    const created = await owner.post('/api/v1/nas', { name: 'Branch router', ipAddress: '10.20.0.1' });
    expect(created.status).toBe(201);
    expect(created.body.secret.length).toBeGreaterThanOrEqual(32);
    expect(created.body.requireMessageAuthenticator).toBe(true);
    expect(created.body.coaPort).toBe(3799);
    expect(created.body.routerosScript).toContain(created.body.secret);
    nasId = created.body.id;
    expect(nasId).toMatch(/^nas_/);

    const fetched = await owner.get(`/api/v1/nas/${nasId}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.secret).toBeUndefined();
    expect(fetched.text).not.toContain(created.body.secret);

    const duplicate = await owner.post('/api/v1/nas', { name: 'Again', ipAddress: '10.20.0.1' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('conflict');
    expect(duplicate.body.error.message).toContain('10.20.0.1');
    // The second ISP's router address is taken platform-wide too.
    expect((await owner.post('/api/v1/nas', { name: 'Theirs', ipAddress: '127.0.0.2' })).status).toBe(409);

    const invalid = await owner.post('/api/v1/nas', { name: 'Bad', ipAddress: '300.1.1.1' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('validation_failed');
    expect((await owner.post('/api/v1/nas', { name: 'Nothing' })).status).toBe(400);
  });

  it('registers a router behind NAT by NAS-Identifier, which must sign its requests', async () => {
    const refused = await owner.post('/api/v1/nas', {
      name: 'NAT',
      identifier: 'branch-nat-1',
      requireMessageAuthenticator: false,
    });
    expect(refused.status).toBe(400);
    const created = await owner.post('/api/v1/nas', { name: 'NAT', identifier: 'branch-nat-1' });
    expect(created.status).toBe(201);
    expect(created.body.ipAddress).toBeNull();
    expect((await owner.post('/api/v1/nas', { name: 'NAT 2', identifier: 'branch-nat-1' })).status).toBe(409);
  });

  it('lists with cursor pagination, edits, rotates the secret and deletes', async () => {
    const pageOne = await owner.get('/api/v1/nas?limit=2');
    expect(pageOne.body.items).toHaveLength(2);
    expect(pageOne.body.nextCursor).toEqual(expect.any(String));
    const pageTwo = await owner.get(`/api/v1/nas?limit=2&cursor=${pageOne.body.nextCursor}`);
    expect(pageTwo.body.items).toHaveLength(1);
    expect(pageTwo.body.nextCursor).toBeNull();
    const ids = [...pageOne.body.items, ...pageTwo.body.items].map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(3);
    expect((await owner.get('/api/v1/nas?limit=0')).status).toBe(400);

    const patched = await owner.patch(`/api/v1/nas/${nasId}`, { coaPort: 3800, name: 'Branch router 2' });
    expect(patched.status).toBe(200);
    expect(patched.body.coaPort).toBe(3800);
    expect((await owner.patch(`/api/v1/nas/${nasId}`, { coaPort: 70000 })).body.error.code).toBe(
      'validation_failed',
    );

    const rotated = await owner.post(`/api/v1/nas/${nasId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret.length).toBeGreaterThanOrEqual(32);

    const script = await owner.get(`/api/v1/nas/${nasId}/routeros-script`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/plain');
    expect(script.text).toContain(
      '/radius add service=hotspot,ppp address=127.0.0.1 secret="PASTE-THE-NAS-SECRET-HERE"',
    );
    expect(script.text).toContain(
      `authentication-port=${suite.kiunga.authPort} accounting-port=${suite.kiunga.acctPort}`,
    );
    expect(script.text).toContain('/radius incoming set accept=yes port=3800');
    expect(script.text).toContain('/ppp aaa set use-radius=yes accounting=yes interim-update=5m');
    expect(script.text).toContain('use-radius=yes radius-accounting=yes radius-interim-update=5m');
    expect(script.text).toContain(`/portal/${first().slug}`);
    expect(script.text).not.toContain(rotated.body.secret);

    const page = await owner.get(`/api/v1/nas/${nasId}/hotspot-login.html`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${suite.kiunga.baseUrl}/portal/${first().slug}`);
    for (const variable of ['$(link-login-only)', '$(mac)', '$(ip)', '$(link-orig)'])
      expect(page.text).toContain(variable);

    expect((await owner.delete(`/api/v1/nas/${nasId}`)).status).toBe(200);
    expect((await owner.get(`/api/v1/nas/${nasId}`)).status).toBe(404);
  });
});

describe('plans', () => {
  it('validates kind-specific terms and burst all-or-none', async () => {
    const noValidity = await owner.post('/api/v1/plans', { ...hotspotPlanInput, validitySeconds: undefined });
    expect(noValidity.status).toBe(400);
    expect(noValidity.body.error.code).toBe('validation_failed');
    const halfBurst = await owner.post('/api/v1/plans', { ...hotspotPlanInput, burstUpKbps: 2048 });
    expect(halfBurst.status).toBe(400);
    expect(halfBurst.body.error.message).toMatch(/burst/);
    const floatPrice = await owner.post('/api/v1/plans', { ...hotspotPlanInput, priceCents: 10.5 });
    expect(floatPrice.status).toBe(400);
  });

  it('creates PPPoE plans with burst, filters by kind and paginates', async () => {
    const created = await owner.post('/api/v1/plans', {
      name: 'Home 10M',
      kind: 'pppoe',
      priceCents: 250000,
      rateUpKbps: 5000,
      rateDownKbps: 10000,
      burstUpKbps: 8000,
      burstDownKbps: 15000,
      burstThresholdUpKbps: 4000,
      burstThresholdDownKbps: 8000,
      burstTimeSeconds: 16,
      dataCapBytes: 500 * 1024 ** 3,
      ipPool: 'pppoe-pool',
    });
    expect(created.status).toBe(201);
    expect(created.body.billingCycleMonths).toBe(1);
    expect(created.body.rateLimit).toBe('5000k/10000k 8000k/15000k 4000k/8000k 16/16');
    const pppoe = await owner.get('/api/v1/plans?kind=pppoe&limit=200');
    expect(pppoe.body.items.every((plan: { kind: string }) => plan.kind === 'pppoe')).toBe(true);
    expect(pppoe.body.items.map((plan: { id: string }) => plan.id)).toContain(created.body.id);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await owner.get(
        `/api/v1/plans?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const item of page.body.items) seen.add(item.id);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(first().plans.length + 1);
  });

  it('keeps sold vouchers on their terms, refuses to delete or re-kind a used plan, archives it', async () => {
    const plan = (await owner.post('/api/v1/plans', hotspotPlanInput)).body;
    const batch = await owner.post('/api/v1/vouchers', { planId: plan.id, count: 2 });
    expect(batch.status).toBe(201);
    const edited = await owner.patch(`/api/v1/plans/${plan.id}`, { validitySeconds: 3600, priceCents: 5000 });
    expect(edited.status).toBe(200);
    expect(edited.body.validitySeconds).toBe(3600);
    const sold = await owner.get(`/api/v1/vouchers/${batch.body.items[0].id}`);
    expect(sold.body.validitySeconds).toBe(7200);
    expect(sold.body.priceCents).toBe(3000);

    const rekind = await owner.patch(`/api/v1/plans/${plan.id}`, {
      kind: 'pppoe',
      validitySeconds: null,
      billingCycleMonths: 1,
    });
    expect(rekind.status).toBe(409);
    const deleted = await owner.delete(`/api/v1/plans/${plan.id}`);
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.message).toMatch(/archive/);
    const archived = await owner.patch(`/api/v1/plans/${plan.id}`, { isActive: false });
    expect(archived.body.isActive).toBe(false);
    expect((await owner.post('/api/v1/vouchers', { planId: plan.id, count: 1 })).status).toBe(409);

    const unused = (await owner.post('/api/v1/plans', { ...hotspotPlanInput, name: 'Unused' })).body;
    expect(
      (
        await owner.patch(`/api/v1/plans/${unused.id}`, {
          kind: 'static',
          validitySeconds: null,
          billingCycleMonths: 1,
        })
      ).status,
    ).toBe(200);
    expect((await owner.delete(`/api/v1/plans/${unused.id}`)).status).toBe(200);
    expect((await owner.get(`/api/v1/plans/${unused.id}`)).status).toBe(404);
  });
});

describe('vouchers', () => {
  let planId: string;
  let batch: { batchId: string; codes: string[]; items: Array<{ id: string; code: string }> };

  beforeAll(async () => {
    planId = (await owner.post('/api/v1/plans', { ...hotspotPlanInput, name: 'Voucher test plan' })).body.id;
  });

  it('creates a batch with a prefix from the look-alike-free alphabet', async () => {
    const response = await owner.post('/api/v1/vouchers', { planId, count: 25, prefix: 'kl', length: 6 });
    expect(response.status).toBe(201);
    batch = response.body;
    expect(batch.codes).toHaveLength(25);
    expect(new Set(batch.codes).size).toBe(25);
    for (const code of batch.codes) expect(code).toMatch(/^KL[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(batch.items[0]).toMatchObject({
      planId,
      status: 'unused',
      deviceLimit: 2,
      rateLimit: '512k/1024k',
    });
  });

  it('refuses oversized batches, non-hotspot plans and unknown plans', async () => {
    const tooMany = await owner.post('/api/v1/vouchers', { planId, count: 10_001 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('validation_failed');
    const pppoePlan = first().plans.find((plan) => plan.kind !== 'hotspot')!;
    expect((await owner.post('/api/v1/vouchers', { planId: pppoePlan.id, count: 1 })).status).toBe(400);
    expect((await owner.post('/api/v1/vouchers', { planId: 'pln_nope', count: 1 })).status).toBe(404);
  });

  it('lists by batch with pagination and searches by code prefix', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ code: string }>; nextCursor: string | null } } = await owner.get(
        `/api/v1/vouchers?batchId=${batch.batchId}&limit=10${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(10);
      for (const item of page.body.items) seen.add(item.code);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...batch.codes].sort());
    const code = batch.codes[3]!;
    const search = await owner.get(`/api/v1/vouchers?q=${code.slice(0, 6).toLowerCase()}`);
    expect(search.body.items.map((item: { code: string }) => item.code)).toContain(code);
    expect(search.body.items.every((item: { code: string }) => item.code.startsWith(code.slice(0, 6)))).toBe(
      true,
    );
    expect((await owner.get('/api/v1/vouchers?status=bogus')).status).toBe(400);
  });

  it('a voucher made through the API authenticates over RADIUS, and is rejected once revoked', async () => {
    const voucher = batch.items[0]!;
    const accepted = await auth({ 'User-Name': voucher.code, 'User-Password': voucher.code });
    expect(accepted.code).toBe('Access-Accept');
    expect(accepted.attributes['Session-Timeout']).toBe('7200');
    expect(accepted.attributes['Mikrotik-Rate-Limit']).toBe('512k/1024k');
    const revoked = await owner.post(`/api/v1/vouchers/${voucher.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expect((await owner.get(`/api/v1/vouchers/${voucher.id}`)).body.status).toBe('revoked');
    // The AAA server's lookup cache follows a generation counter within a quarter second.
    await new Promise((done) => setTimeout(done, 400));
    const rejected = await auth({ 'User-Name': voucher.code, 'User-Password': voucher.code });
    expect(rejected.code).toBe('Access-Reject');
    expect((await owner.get('/api/v1/vouchers?status=revoked')).body.items).toHaveLength(1);
  });

  it('exports CSV and prints HTML and PDF sheets of a batch', async () => {
    const csv = await owner.get(`/api/v1/vouchers/export.csv?batchId=${batch.batchId}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^code,status,planId/);
    expect(lines).toHaveLength(26);
    for (const code of batch.codes) expect(csv.text).toContain(code);

    const html = await owner.get(`/api/v1/vouchers/print?batchId=${batch.batchId}`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('size: A4');
    expect(html.text).toContain((first() as unknown as { name: string }).name);
    expect(html.text).toContain('Ksh 30');
    expect(html.text).toContain('2 hours');
    for (const code of batch.codes) expect(html.text).toContain(code);

    const pdf = await fetch(
      `${suite.kiunga.baseUrl}/api/v1/vouchers/print?batchId=${batch.batchId}&format=pdf`,
      {
        headers: { authorization: `Bearer ${owner.token}` },
      },
    );
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await owner.get('/api/v1/vouchers/print?batchId=vbt_nope')).status).toBe(404);
  });
});

describe('branding and RADIUS settings', () => {
  it('validates and stores branding', async () => {
    const defaults = await owner.get('/api/v1/branding');
    expect(defaults.body.primaryColor).toMatch(/^#[0-9a-f]{6}$/);
    expect((await owner.patch('/api/v1/branding', { primaryColor: 'green' })).status).toBe(400);
    expect((await owner.patch('/api/v1/branding', { logo: 'javascript:alert(1)' })).status).toBe(400);
    expect(
      (await owner.patch('/api/v1/branding', { logo: `data:image/png;base64,${'A'.repeat(300_000)}` }))
        .status,
    ).toBe(400);
    const logo = 'data:image/png;base64,iVBORw0KGgo=';
    const patched = await owner.patch('/api/v1/branding', {
      displayName: 'Kilimani Fibre',
      primaryColor: '#1A7F5A',
      logo,
    });
    expect(patched.status).toBe(200);
    expect(await (await owner.get('/api/v1/branding')).body).toEqual({
      displayName: 'Kilimani Fibre',
      logo,
      primaryColor: '#1a7f5a',
      accentColor: defaults.body.accentColor,
    });
  });

  it('RADIUS settings reach the AAA server', async () => {
    expect((await owner.patch('/api/v1/settings/radius', { idleTimeoutSeconds: 5 })).status).toBe(400);
    expect((await owner.patch('/api/v1/settings/radius', { expiredAccountPolicy: 'maybe' })).status).toBe(
      400,
    );
    const patched = await owner.patch('/api/v1/settings/radius', {
      idleTimeoutSeconds: 600,
      expiredAccountPolicy: 'walled_garden',
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      idleTimeoutSeconds: 600,
      interimIntervalSeconds: 300,
      expiredAccountPolicy: 'walled_garden',
    });
    const voucher = first().vouchers[first().vouchers.length - 1]!;
    // The AAA server re-reads tenant settings every 10 s.
    await expect
      .poll(
        async () =>
          (
            await auth({
              'User-Name': voucher.code,
              'User-Password': voucher.code,
              'Calling-Station-Id': '02:00:00:00:09:01',
            })
          ).attributes['Idle-Timeout'],
        { timeout: 15_000, interval: 1_000 },
      )
      .toBe('600');
  });
});
