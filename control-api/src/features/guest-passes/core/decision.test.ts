// Guest passes with a moving clock: once per device per period, the ISP's daily cap per Nairobi day,
// the "try again at" message, and what RADIUS answers for a pass.
import { ManualClock } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import {
  authorizeGuestPass,
  decideGuestPass,
  type GuestPass,
  type GuestPassHistory,
  guestPassLookback,
} from './decision';
import {
  defaultGuestPassSettings,
  type GuestPassSettings,
  guestPassRequestSchema,
  guestPassSettingsSchema,
  isLocallyAdministeredMac,
} from './settings';

const MINUTE_MS = 60_000;
/** An instant given in Nairobi local time (UTC+3). */
const eat = (day: number, hour: number, minute = 0) => Date.UTC(2026, 1, day, hour - 3, minute);
const settings: GuestPassSettings = {
  ...defaultGuestPassSettings,
  enabled: true,
  durationSeconds: 15 * 60,
  perDevicePeriodSeconds: 6 * 3_600,
  dailyCap: 2,
};
const request = guestPassRequestSchema.parse({ mac: 'aa-bb-cc-00-11-22' });
const credentials = { randomIndex: () => 0, password: () => 'Pw0rdPw0rdXy' };

/** The store, kept as a list: what the integration's queries will answer. */
function historyOf(passes: readonly GuestPass[], nowMs: number, config = settings): GuestPassHistory {
  const lookback = guestPassLookback(config, nowMs);
  const latest = (matching: GuestPass[]) =>
    matching.length === 0 ? null : Math.max(...matching.map((pass) => pass.issuedAtMs));
  return {
    lastIssuedForMacMs: latest(
      passes.filter((pass) => pass.mac === request.mac && pass.issuedAtMs > lookback.deviceSinceMs),
    ),
    lastIssuedForPhoneMs: null,
    issuedTodayCount: passes.filter(
      (pass) => pass.issuedAtMs >= lookback.today.startMs && pass.issuedAtMs < lookback.today.endMs,
    ).length,
  };
}

describe('decideGuestPass', () => {
  it('grants a pass the router logs in with, for the configured minutes and rate', () => {
    const clock = new ManualClock(eat(3, 10, 0));
    const decision = decideGuestPass({
      settings,
      request,
      history: historyOf([], clock.now()),
      clock,
      credentials,
    });
    expect(decision).toEqual({
      ok: true,
      pass: {
        username: 'guest-2222222222',
        password: 'Pw0rdPw0rdXy',
        mac: 'AA:BB:CC:00:11:22',
        phone: null,
        issuedAtMs: eat(3, 10, 0),
        expiresAtMs: eat(3, 10, 15),
        rateLimit: '1024k/2048k',
      },
    });
  });

  it('refuses the same device inside its period with the Nairobi time it may try again, then grants', () => {
    const clock = new ManualClock(eat(3, 10, 0));
    const first = decideGuestPass({
      settings,
      request,
      history: historyOf([], clock.now()),
      clock,
      credentials,
    });
    if (!first.ok) throw new Error('expected a pass');
    clock.advance(20 * MINUTE_MS);
    const again = decideGuestPass({
      settings,
      request,
      history: historyOf([first.pass], clock.now()),
      clock,
    });
    expect(again).toEqual({
      ok: false,
      code: 'guest_pass_used',
      httpStatus: 429,
      retryAtMs: eat(3, 16, 0),
      limit: 'device',
      message: 'This device already had its free pass. Try again at 16:00 (Nairobi time).',
    });
    clock.set(eat(3, 16, 0) - 1);
    expect(
      decideGuestPass({ settings, request, history: historyOf([first.pass], clock.now()), clock }).ok,
    ).toBe(false);
    clock.set(eat(3, 16, 0));
    expect(
      decideGuestPass({ settings, request, history: historyOf([first.pass], clock.now()), clock }).ok,
    ).toBe(true);
  });

  it('says "tomorrow" when the period ends after Nairobi midnight', () => {
    const daily = { ...settings, perDevicePeriodSeconds: 86_400 };
    const clock = new ManualClock(eat(3, 21, 30));
    const first = decideGuestPass({
      settings: daily,
      request,
      history: historyOf([], clock.now(), daily),
      clock,
    });
    if (!first.ok) throw new Error('expected a pass');
    clock.advance(MINUTE_MS);
    const again = decideGuestPass({
      settings: daily,
      request,
      history: historyOf([first.pass], clock.now(), daily),
      clock,
    });
    expect(again.ok === false && again.message).toBe(
      'This device already had its free pass. Try again tomorrow at 21:30 (Nairobi time).',
    );
  });

  it('stops at the ISP’s daily cap until Nairobi midnight, whatever the device', () => {
    const clock = new ManualClock(eat(3, 23, 0));
    const others = ['02:00:00:00:00:01', '02:00:00:00:00:02'].map((mac) => ({
      username: 'guest-x',
      password: 'p',
      mac,
      phone: null,
      issuedAtMs: eat(3, 9, 0),
      expiresAtMs: eat(3, 9, 15),
      rateLimit: '1024k/2048k',
    }));
    const capped = decideGuestPass({ settings, request, history: historyOf(others, clock.now()), clock });
    expect(capped).toMatchObject({
      ok: false,
      code: 'guest_pass_daily_cap',
      httpStatus: 429,
      retryAtMs: eat(4, 0, 0),
      message: 'Free passes for today are used up. Try again tomorrow at 00:00 (Nairobi time).',
    });
    clock.set(eat(4, 0, 0));
    expect(decideGuestPass({ settings, request, history: historyOf(others, clock.now()), clock }).ok).toBe(
      true,
    );
  });

  it('limits a phone number too when the ISP asks for one, and names the later of two limits', () => {
    const withPhone = { ...settings, perPhonePeriodSeconds: 86_400 };
    const clock = new ManualClock(eat(3, 12, 0));
    const phoneRequest = guestPassRequestSchema.parse({ mac: '02:00:00:00:00:09', phone: '0712 345 678' });
    expect(phoneRequest.phone).toBe('254712345678');
    const refused = decideGuestPass({
      settings: withPhone,
      request: phoneRequest,
      history: { lastIssuedForMacMs: null, lastIssuedForPhoneMs: eat(3, 8, 0), issuedTodayCount: 2 },
      clock,
    });
    expect(refused).toMatchObject({
      code: 'guest_pass_used',
      retryAtMs: eat(4, 8, 0),
      message: 'This phone number already had its free pass. Try again tomorrow at 08:00 (Nairobi time).',
    });
  });

  it('refuses everything while the ISP has guest passes off', () => {
    const clock = new ManualClock(eat(3, 12, 0));
    expect(
      decideGuestPass({
        settings: { ...settings, enabled: false },
        request,
        history: historyOf([], clock.now()),
        clock,
      }),
    ).toMatchObject({ ok: false, code: 'guest_passes_disabled', httpStatus: 403, retryAtMs: null });
  });
});

describe('authorizeGuestPass', () => {
  const pass = { mac: 'AA:BB:CC:00:11:22', expiresAtMs: eat(3, 10, 15), rateLimit: '1024k/2048k' };

  it('lets the pass in from its own device with what is left as Session-Timeout', () => {
    expect(authorizeGuestPass({ pass, callingStationId: 'aa-bb-cc-00-11-22', nowMs: eat(3, 10, 5) })).toEqual(
      {
        kind: 'accept',
        sessionTimeoutSeconds: 600,
        rateLimit: '1024k/2048k',
        reason: 'guest_pass',
      },
    );
  });

  it('rejects another device and an expired pass', () => {
    expect(authorizeGuestPass({ pass, callingStationId: '02:00:00:00:00:01', nowMs: eat(3, 10, 5) })).toEqual(
      {
        kind: 'reject',
        code: 'invalid_credentials',
      },
    );
    expect(authorizeGuestPass({ pass, callingStationId: null, nowMs: eat(3, 10, 5) }).kind).toBe('reject');
    expect(
      authorizeGuestPass({ pass, callingStationId: 'AA:BB:CC:00:11:22', nowMs: eat(3, 10, 15) }),
    ).toEqual({
      kind: 'reject',
      code: 'voucher_expired',
    });
  });
});

describe('guest-pass settings and requests', () => {
  it('take the contract’s settings body and refuse a period shorter than a pass', () => {
    const body = {
      enabled: true,
      durationSeconds: 900,
      rateUpKbps: 512,
      rateDownKbps: 1024,
      perDevicePeriodSeconds: 86_400,
      dailyCap: 100,
    };
    expect(guestPassSettingsSchema.parse(body)).toEqual({
      ...body,
      perPhonePeriodSeconds: null,
      requirePhone: false,
    });
    expect(guestPassSettingsSchema.safeParse({ ...body, perDevicePeriodSeconds: 600 }).success).toBe(false);
    expect(guestPassSettingsSchema.safeParse({ ...body, dailyCap: 0 }).success).toBe(false);
    expect(guestPassSettingsSchema.safeParse({ ...body, durationSeconds: 30 }).success).toBe(false);
  });

  it('refuse the router’s "---" for an unknown MAC and a phone that is not a Kenyan mobile', () => {
    expect(guestPassRequestSchema.safeParse({ mac: '---' }).success).toBe(false);
    expect(guestPassRequestSchema.safeParse({ mac: '02:00:00:00:00:01', phone: '020 1234567' }).success).toBe(
      false,
    );
  });

  it('recognise a randomised (locally administered) MAC', () => {
    expect(isLocallyAdministeredMac('DA:A1:19:00:00:01')).toBe(true);
    expect(isLocallyAdministeredMac('AC:DE:48:00:11:22')).toBe(false);
  });
});
