// Tests of the authorization policy as pure functions: no socket, no database.
import { defaultTenantRadiusSettings } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { authorizeSubscriber, authorizeVoucher, type SubscriberFacts, type VoucherFacts } from './authorize';

const nowMs = Date.UTC(2026, 5, 1, 12, 0, 0);
const settings = defaultTenantRadiusSettings;

function voucher(overrides: Partial<VoucherFacts> = {}): VoucherFacts {
  return {
    status: 'unused',
    validitySeconds: 3600,
    rateLimit: '2048k/5120k',
    dataCapBytes: null,
    firstUsedAtMs: null,
    expiresAtMs: null,
    usedOctets: 0,
    ...overrides,
  };
}

describe('authorizeVoucher', () => {
  it('starts validity at the first login', () => {
    const decision = authorizeVoucher(voucher(), true, settings, nowMs);
    expect(decision).toEqual({
      outcome: 'accept',
      firstUse: { firstUsedAtMs: nowMs, expiresAtMs: nowMs + 3_600_000 },
      reply: {
        sessionTimeoutSeconds: 3600,
        idleTimeoutSeconds: 900,
        interimIntervalSeconds: 300,
        rateLimit: '2048k/5120k',
        framedIpAddress: null,
        framedPool: null,
        addressList: null,
        totalLimitBytes: null,
      },
    });
  });

  it('hands the router what is left of a data cap', () => {
    const capped = voucher({ dataCapBytes: 5_000_000_000, usedOctets: 1_000_000_000 });
    const decision = authorizeVoucher(capped, true, settings, nowMs);
    expect(decision.outcome === 'accept' && decision.reply.totalLimitBytes).toBe(4_000_000_000);
  });

  it('gives the remaining validity on a later login, and no new first use', () => {
    const used = voucher({
      status: 'active',
      firstUsedAtMs: nowMs - 600_000,
      expiresAtMs: nowMs + 3_000_000,
    });
    const decision = authorizeVoucher(used, true, settings, nowMs);
    expect(decision.outcome).toBe('accept');
    if (decision.outcome !== 'accept') return;
    expect(decision.firstUse).toBeNull();
    expect(decision.reply.sessionTimeoutSeconds).toBe(3000);
  });

  it('rejects a wrong password before anything else', () => {
    expect(authorizeVoucher(voucher({ status: 'revoked' }), false, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'invalid_credentials',
    });
  });

  it('rejects expired, revoked and capped vouchers with their reason', () => {
    const expired = voucher({ status: 'active', firstUsedAtMs: nowMs - 7_200_000, expiresAtMs: nowMs });
    expect(authorizeVoucher(expired, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'voucher_expired',
    });
    expect(authorizeVoucher(voucher({ status: 'revoked' }), true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'voucher_revoked',
    });
    const capped = voucher({ dataCapBytes: 1000, usedOctets: 1000 });
    expect(authorizeVoucher(capped, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'data_cap_reached',
    });
  });

  it('uses the tenant idle timeout', () => {
    const decision = authorizeVoucher(voucher(), true, { ...settings, idleTimeoutSeconds: 600 }, nowMs);
    expect(decision.outcome === 'accept' && decision.reply.idleTimeoutSeconds).toBe(600);
  });
});

describe('authorizeSubscriber', () => {
  const active: SubscriberFacts = {
    status: 'active',
    expiresAtMs: nowMs + 86_400_000,
    rateLimit: '5M/10M',
    staticIp: null,
    ipPool: null,
    boundMacAddress: null,
    deviceMacAddress: '02:00:00:00:00:01',
  };

  it('accepts an active account until it expires', () => {
    const decision = authorizeSubscriber(active, true, settings, nowMs);
    expect(decision.outcome === 'accept' && decision.reply.sessionTimeoutSeconds).toBe(86_400);
  });

  it('hands a static IP out as Framed-IP-Address', () => {
    const decision = authorizeSubscriber({ ...active, staticIp: '10.10.0.5' }, true, settings, nowMs);
    expect(decision.outcome === 'accept' && decision.reply.framedIpAddress).toBe('10.10.0.5');
  });

  it("names the plan's IP pool (Framed-Pool) unless the account has its own address", () => {
    const pooled = authorizeSubscriber({ ...active, ipPool: 'pppoe-pool' }, true, settings, nowMs);
    expect(pooled.outcome === 'accept' && pooled.reply.framedPool).toBe('pppoe-pool');
    const fixed = { ...active, ipPool: 'pppoe-pool', staticIp: '10.10.0.5' };
    const decision = authorizeSubscriber(fixed, true, settings, nowMs);
    expect(decision.outcome === 'accept' && decision.reply.framedPool).toBeNull();
  });

  it('lets an account bound to a MAC address in from that device only, and only with the password', () => {
    const bound = { ...active, boundMacAddress: '02:00:00:00:00:01' };
    expect(authorizeSubscriber(bound, true, settings, nowMs).outcome).toBe('accept');
    const otherDevice = { ...bound, deviceMacAddress: '02:00:00:00:00:02' };
    expect(authorizeSubscriber(otherDevice, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'mac_address_mismatch',
    });
    expect(authorizeSubscriber({ ...bound, deviceMacAddress: null }, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'mac_address_mismatch',
    });
    // A wrong password says nothing about the binding.
    expect(authorizeSubscriber(otherDevice, false, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'invalid_credentials',
    });
  });

  it('rejects suspended and expired accounts by default', () => {
    expect(authorizeSubscriber({ ...active, status: 'suspended' }, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'account_suspended',
    });
    expect(authorizeSubscriber({ ...active, expiresAtMs: nowMs - 1 }, true, settings, nowMs)).toEqual({
      outcome: 'reject',
      reason: 'account_expired',
    });
  });

  it('puts blocked accounts in the walled garden when the tenant says so', () => {
    const walled = { ...settings, expiredAccountPolicy: 'walled_garden' as const };
    for (const blocked of [
      { ...active, status: 'expired' },
      { ...active, status: 'suspended' },
    ]) {
      const decision = authorizeSubscriber(blocked, true, walled, nowMs);
      expect(decision.outcome).toBe('accept');
      if (decision.outcome !== 'accept') return;
      // A trickle for the pay page, not the plan's rate, and asked again within five minutes.
      expect(decision.reply).toMatchObject({
        addressList: 'kiunga-expired',
        rateLimit: '64k/64k',
        sessionTimeoutSeconds: 300,
      });
    }
    expect(authorizeSubscriber({ ...active, status: 'expired' }, false, walled, nowMs).outcome).toBe(
      'reject',
    );
  });
});
