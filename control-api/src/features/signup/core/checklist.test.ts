// The getting-started checklist: the steps a tier needs, each done by what the ISP has, gone when all are.
import { describe, expect, it } from 'vitest';
import { gettingStartedSteps } from './checklist';

const nothing = { routers: 0, plans: 0, vouchers: 0, subscribers: 0, hasHotspot: true, hasPppoe: true };

describe('gettingStartedSteps', () => {
  it('asks a new hotspot ISP for a router, a plan and vouchers, in that order', () => {
    expect(gettingStartedSteps(nothing).map((step) => [step.key, step.isDone])).toEqual([
      ['router', false],
      ['plan', false],
      ['vouchers', false],
    ]);
  });

  it('asks a PPPoE-only ISP for a subscriber instead of vouchers', () => {
    const steps = gettingStartedSteps({ ...nothing, hasHotspot: false, routers: 1 });
    expect(steps.map((step) => [step.key, step.isDone])).toEqual([
      ['router', true],
      ['plan', false],
      ['subscriber', false],
    ]);
  });

  it('is empty once every step is done', () => {
    expect(gettingStartedSteps({ ...nothing, routers: 1, plans: 2, vouchers: 50 })).toEqual([]);
    expect(
      gettingStartedSteps({ ...nothing, hasHotspot: false, routers: 1, plans: 1, subscribers: 1 }),
    ).toEqual([]);
  });
});
