// PPPoE trials in the billing core: when billing starts, with and without a trial, for each end action.
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './calendar';
import { billingStartMs, isInTrial, trialEndsAtMs } from './trials';

const START = Date.UTC(2030, 2, 1, 6);

describe('PPPoE trials', () => {
  it('bill from the trial’s end, never with "expire", and from the service start without a trial', () => {
    const endsAt = trialEndsAtMs(START, 14);
    expect(endsAt).toBe(START + 14 * DAY_MS);
    expect(billingStartMs(START, endsAt, 'bill')).toBe(endsAt);
    expect(billingStartMs(START, endsAt, 'expire')).toBeNull();
    expect(billingStartMs(START, null, 'expire')).toBe(START);
    // A service start set after the trial (moved by hand) still wins.
    expect(billingStartMs(endsAt + DAY_MS, endsAt, 'bill')).toBe(endsAt + DAY_MS);
  });

  it('run until the instant they end', () => {
    const endsAt = trialEndsAtMs(START, 7);
    expect(isInTrial(endsAt, endsAt - 1)).toBe(true);
    expect(isInTrial(endsAt, endsAt)).toBe(false);
    expect(isInTrial(null, START)).toBe(false);
  });
});
