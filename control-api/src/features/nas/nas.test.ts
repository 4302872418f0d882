// /api/v1/nas in process: register a router (secret shown once, the AAA registry reloaded), edit,
// rotate, its RouterOS script, delete, the validation errors, and ISP B never reading or changing
// ISP A's routers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleAaaControl, openTwoIspApp, type TwoIspApp } from '../../kernel/testing/in-process-app';

interface NasBody {
  id: string;
  name: string;
  coaPort: number;
  secret?: string;
  routerosScript?: string;
}

let testApp: TwoIspApp;
let registryReloads = 0;
let nas: NasBody;

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

beforeAll(async () => {
  testApp = await openTwoIspApp({
    aaa: idleAaaControl({
      reloadNasRegistry: async () => {
        registryReloads += 1;
      },
    }),
  });
  const created = await testApp.ispA.request('POST', '/api/v1/nas', {
    name: 'Branch',
    ipAddress: '10.20.0.1',
  });
  expect(created.status).toBe(201);
  nas = (await created.json()) as NasBody;
});

afterAll(async () => {
  await testApp?.close();
});

describe('NAS API', () => {
  it('answers the secret once, in the script too, and tells the AAA server', async () => {
    expect(nas.secret?.length).toBeGreaterThanOrEqual(32);
    expect(nas.routerosScript).toContain(nas.secret);
    expect(registryReloads).toBe(1);
    const fetched = await testApp.ispA.request('GET', `/api/v1/nas/${nas.id}`);
    const text = await fetched.text();
    expect(fetched.status).toBe(200);
    expect(text).not.toContain(nas.secret);
  });

  it('edits, rotates the secret and writes the script without it', async () => {
    const edited = await testApp.ispA.request('PATCH', `/api/v1/nas/${nas.id}`, { coaPort: 3800 });
    expect(((await edited.json()) as NasBody).coaPort).toBe(3800);
    const rotated = (await (
      await testApp.ispA.request('POST', `/api/v1/nas/${nas.id}/rotate-secret`)
    ).json()) as NasBody;
    expect(rotated.secret).not.toBe(nas.secret);
    const script = await testApp.ispA.request('GET', `/api/v1/nas/${nas.id}/routeros-script`);
    expect(script.headers.get('content-type')).toContain('text/plain');
    const text = await script.text();
    expect(text).toContain('/radius incoming set accept=yes port=3800');
    expect(text).not.toContain(rotated.secret);
    expect(registryReloads).toBe(3);
  });

  it('refuses a bad address, a missing address and a taken address with the house errors', async () => {
    const badAddress = await testApp.ispA.request('POST', '/api/v1/nas', {
      name: 'Bad',
      ipAddress: '300.1.1.1',
    });
    expect(badAddress.status).toBe(400);
    expect((await errorOf(badAddress)).code).toBe('validation_failed');
    expect((await testApp.ispA.request('POST', '/api/v1/nas', { name: 'Nothing' })).status).toBe(400);
    const taken = await testApp.ispA.request('POST', '/api/v1/nas', {
      name: 'Again',
      ipAddress: '10.20.0.1',
    });
    expect(taken.status).toBe(409);
    expect((await errorOf(taken)).message).toContain('10.20.0.1');
  });

  it("keeps ISP A's routers from ISP B: not listed, not found, not changed, rotated or deleted", async () => {
    const listed = await testApp.ispB.request('GET', '/api/v1/nas');
    expect(((await listed.json()) as { items: unknown[] }).items).toEqual([]);
    expect((await testApp.ispB.request('GET', `/api/v1/nas/${nas.id}`)).status).toBe(404);
    expect((await testApp.ispB.request('PATCH', `/api/v1/nas/${nas.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await testApp.ispB.request('POST', `/api/v1/nas/${nas.id}/rotate-secret`)).status).toBe(404);
    expect((await testApp.ispB.request('GET', `/api/v1/nas/${nas.id}/routeros-script`)).status).toBe(404);
    expect((await testApp.ispB.request('DELETE', `/api/v1/nas/${nas.id}`)).status).toBe(404);
    const stillThere = await testApp.ispA.request('GET', `/api/v1/nas/${nas.id}`);
    expect(((await stillThere.json()) as NasBody).name).toBe('Branch');
  });

  it('deletes a router', async () => {
    expect((await testApp.ispA.request('DELETE', `/api/v1/nas/${nas.id}`)).status).toBe(200);
    expect((await testApp.ispA.request('GET', `/api/v1/nas/${nas.id}`)).status).toBe(404);
  });
});
