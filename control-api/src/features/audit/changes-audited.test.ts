// Every catalogue change is audited by the service that makes it: plans, vouchers, routers, subscribers,
// branding and RADIUS settings each leave their action, target and detail, never a password or a logo.
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../kernel/testing/in-process-app';

const kiunga = useTestApp();

interface AuditItem {
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  actorId: string | null;
}

describe('changes through the catalogue API', () => {
  it('are each audited once, as the acting owner, newest first, without secrets', async () => {
    const isp = await kiunga().createIsp('audited');
    const call = async (method: string, path: string, body?: unknown) => {
      const answer = await kiunga().request(method, path, {
        token: isp.token,
        ...(body === undefined ? {} : { body }),
      });
      expect(answer.status, `${method} ${path}`).toBeLessThan(300);
      return answer.body;
    };
    const hotspot = await call('POST', '/api/v1/plans', {
      name: '1 hour',
      kind: 'hotspot',
      priceCents: 2_000,
      rateUpKbps: 1_000,
      rateDownKbps: 2_000,
      validitySeconds: 3_600,
    });
    const home = await call('POST', '/api/v1/plans', {
      name: 'Home',
      kind: 'pppoe',
      priceCents: 150_000,
      rateUpKbps: 5_000,
      rateDownKbps: 10_000,
    });
    const spare = await call('POST', '/api/v1/plans', {
      name: 'Spare',
      kind: 'pppoe',
      priceCents: 100_000,
      rateUpKbps: 2_000,
      rateDownKbps: 4_000,
    });
    await call('PATCH', `/api/v1/plans/${home.id}`, { rateDownKbps: 20_000 });
    const batch = await call('POST', '/api/v1/vouchers', { planId: hotspot.id, count: 2 });
    await call('POST', `/api/v1/vouchers/${batch.items[0].id}/revoke`);
    const router = await call('POST', '/api/v1/nas', { name: 'Branch', ipAddress: '10.20.0.1' });
    await call('PATCH', `/api/v1/nas/${router.id}`, { name: 'Branch 2' });
    await call('POST', `/api/v1/nas/${router.id}/rotate-secret`);
    await call('DELETE', `/api/v1/nas/${router.id}`);
    const subscriber = await call('POST', '/api/v1/subscribers', {
      username: 'achieng',
      password: 'secret-one-1',
      planId: home.id,
      fullName: 'Achieng Otieno',
    });
    await call('PATCH', `/api/v1/subscribers/${subscriber.id}`, { password: 'secret-two-2' });
    await call('POST', `/api/v1/subscribers/${subscriber.id}/change-plan`, { planId: spare.id });
    await call('POST', `/api/v1/subscribers/${subscriber.id}/suspend`);
    await call('POST', `/api/v1/subscribers/${subscriber.id}/reactivate`);
    await call('DELETE', `/api/v1/subscribers/${subscriber.id}`);
    await call('DELETE', `/api/v1/plans/${spare.id}`);
    await call('PATCH', '/api/v1/branding', {
      displayName: 'Audited Net',
      logo: 'https://audited.example/logo.png',
    });
    await call('PATCH', '/api/v1/settings/radius', { idleTimeoutSeconds: 600 });

    const log = await call('GET', '/api/v1/audit?limit=100');
    const items = log.items as AuditItem[];
    expect(items.map((item) => [item.action, item.target])).toEqual(
      [
        ['plan.create', hotspot.id],
        ['plan.create', home.id],
        ['plan.create', spare.id],
        ['plan.update', home.id],
        ['voucher_batch.create', batch.batchId],
        ['voucher.revoke', batch.items[0].id],
        ['nas.create', router.id],
        ['nas.update', router.id],
        ['nas.rotate_secret', router.id],
        ['nas.delete', router.id],
        ['subscriber.create', subscriber.id],
        ['subscriber.update', subscriber.id],
        ['subscriber.change_plan', subscriber.id],
        ['subscriber.suspend', subscriber.id],
        ['subscriber.reactivate', subscriber.id],
        ['subscriber.delete', subscriber.id],
        ['plan.delete', spare.id],
        ['branding.update', null],
        ['settings.radius.update', null],
      ].reverse(),
    );
    expect(new Set(items.map((item) => item.actorId))).toEqual(new Set([isp.ownerId]));
    const detailOf = (action: string) => items.find((item) => item.action === action)?.detail;
    expect(detailOf('plan.update')).toMatchObject({ input: { rateDownKbps: 20_000 } });
    expect(detailOf('voucher_batch.create')).toMatchObject({ planId: hotspot.id, count: 2 });
    expect(detailOf('subscriber.change_plan')).toMatchObject({ from: home.id, to: spare.id });
    expect(detailOf('subscriber.update')).toEqual({ passwordChanged: true });
    expect(detailOf('branding.update')).toEqual({ displayName: 'Audited Net', logoChanged: true });
    expect(JSON.stringify(items)).not.toMatch(/secret-one-1|secret-two-2|logo\.png/);
  });
});
