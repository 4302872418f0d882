// Fair use as a subscriber lives it: full speed, throttled past the threshold, cut at the cap, restored next cycle.
import { describe, expect, it } from 'vitest';
import { decideFairUse, type FairUsePlan, planFairUseFieldsSchema } from './fair-use';

const GB = 1024 ** 3;
const plan: FairUsePlan = {
  upKbps: 5_000,
  downKbps: 10_000,
  burstUpKbps: 8_000,
  burstDownKbps: 15_000,
  burstThresholdUpKbps: 4_000,
  burstThresholdDownKbps: 8_000,
  burstTimeSeconds: 10,
  fupThresholdBytes: 100 * GB,
  fupRateUpKbps: 1_000,
  fupRateDownKbps: 2_000,
  dataCapBytes: 150 * GB,
};

describe('decideFairUse', () => {
  it('keeps the plan rate, bursts included, below the threshold', () => {
    expect(decideFairUse(plan, 40 * GB, 'normal')).toEqual({
      state: 'normal',
      rateLimit: '5000k/10000k 8000k/15000k 4000k/8000k 10/10',
      sessionAction: 'none',
      bytesUntilNextStep: 60 * GB,
    });
  });

  it('throttles live sessions with a CoA once the cycle passes the threshold', () => {
    expect(decideFairUse(plan, 100 * GB, 'normal')).toEqual({
      state: 'throttled',
      rateLimit: '1000k/2000k',
      sessionAction: 'change_rate',
      bytesUntilNextStep: 50 * GB,
    });
    expect(decideFairUse(plan, 120 * GB, 'throttled').sessionAction).toBe('none');
  });

  it('disconnects at the data cap, which stays the hard stop', () => {
    expect(decideFairUse(plan, 150 * GB, 'throttled')).toMatchObject({
      state: 'capped',
      rateLimit: null,
      sessionAction: 'disconnect',
    });
  });

  it('restores the plan rate in the next cycle, whose usage starts again at zero', () => {
    expect(decideFairUse(plan, 0, 'throttled')).toMatchObject({
      state: 'normal',
      sessionAction: 'change_rate',
    });
  });

  it('has nothing to send when nobody is online, and answers the rate for the next login', () => {
    expect(decideFairUse(plan, 101 * GB, null)).toMatchObject({
      sessionAction: 'none',
      rateLimit: '1000k/2000k',
    });
  });

  it('never throttles a plan without fair use', () => {
    const plain = {
      ...plan,
      fupThresholdBytes: null,
      fupRateUpKbps: null,
      fupRateDownKbps: null,
      dataCapBytes: null,
    };
    expect(decideFairUse(plain, 10_000 * GB, 'normal')).toMatchObject({
      state: 'normal',
      bytesUntilNextStep: null,
    });
  });
});

describe('planFairUseFieldsSchema', () => {
  const base = { rateUpKbps: 5_000, rateDownKbps: 10_000, dataCapBytes: 150 * GB };

  it('takes all three fields, or none', () => {
    expect(
      planFairUseFieldsSchema.safeParse({
        ...base,
        fupThresholdBytes: GB,
        fupRateUpKbps: 1,
        fupRateDownKbps: 1,
      }).success,
    ).toBe(true);
    expect(planFairUseFieldsSchema.safeParse(base).success).toBe(true);
    expect(planFairUseFieldsSchema.safeParse({ ...base, fupThresholdBytes: GB }).success).toBe(false);
  });

  it('refuses a throttle faster than the plan and a threshold at or above the cap', () => {
    const fair = { fupThresholdBytes: GB, fupRateUpKbps: 1_000, fupRateDownKbps: 2_000 };
    expect(planFairUseFieldsSchema.safeParse({ ...base, ...fair, fupRateDownKbps: 20_000 }).success).toBe(
      false,
    );
    expect(planFairUseFieldsSchema.safeParse({ ...base, ...fair, fupThresholdBytes: 150 * GB }).success).toBe(
      false,
    );
  });
});
