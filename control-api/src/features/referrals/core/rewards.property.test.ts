// Property: over any stream of referred purchases (repeats, own phones, month changes), a phone earns
// one reward at most, no one is rewarded for their own phone, and no referrer passes the monthly cap.
import { normaliseKenyanPhone } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideReferralReward, type ReferralSettings, type Referrer, referralCapMonth } from './rewards';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 0, 1);
const referrers: Referrer[] = [
  { kind: 'client', id: 'a', phone: '0711000001' },
  { kind: 'client', id: 'b', phone: '+254711000002' },
  { kind: 'subscriber', id: 'c', phone: null },
];
/** A small pool, so phones repeat and the referrers' own numbers come up. */
const phoneArbitrary = fc.integer({ min: 1, max: 12 }).map((n) => `07110000${String(n).padStart(2, '0')}`);

interface Grant {
  referrerId: string;
  phone: string;
  paidAtMs: number;
}

describe('property: referral rewards', () => {
  it('one per phone, never one’s own, never past the monthly cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat({ max: 2 }), phoneArbitrary, fc.nat({ max: 90 })), { maxLength: 80 }),
        (cap, stream) => {
          const settings: ReferralSettings = {
            enabled: true,
            referrerRewardPlanId: 'pln_day',
            newClientRewardPlanId: null,
            monthlyCapPerReferrer: cap,
          };
          const purchases = stream
            .map(([referrer, phone, day]) => ({
              referrer: referrers[referrer]!,
              phone,
              paidAtMs: START_MS + day * DAY_MS,
            }))
            .sort((left, right) => left.paidAtMs - right.paidAtMs);
          const grants: Grant[] = [];
          const paidPhones = new Set<string>();
          for (const [index, { referrer, phone, paidAtMs }] of purchases.entries()) {
            const normalised = normaliseKenyanPhone(phone)!;
            const month = referralCapMonth(paidAtMs);
            const history = {
              isPhoneKnownBefore: paidPhones.has(normalised),
              isPhoneAlreadyRewarded: grants.some((grant) => grant.phone === normalised),
              referrerRewardsThisMonth: grants.filter(
                (grant) =>
                  grant.referrerId === referrer.id &&
                  grant.paidAtMs >= month.startMs &&
                  grant.paidAtMs < month.endMs,
              ).length,
            };
            const decision = decideReferralReward({
              settings,
              referrer,
              purchase: { purchaseId: `p${index}`, phone, paidAtMs },
              history,
            });
            paidPhones.add(normalised);
            if (decision.kind === 'grant')
              grants.push({ referrerId: referrer.id, phone: decision.newPhone, paidAtMs });
          }
          expect(new Set(grants.map((grant) => grant.phone)).size).toBe(grants.length);
          for (const grant of grants) {
            const owner = referrers.find((candidate) => candidate.id === grant.referrerId)!;
            expect(owner.phone === null ? null : normaliseKenyanPhone(owner.phone)).not.toBe(grant.phone);
            const month = referralCapMonth(grant.paidAtMs);
            const sameMonth = grants.filter(
              (other) =>
                other.referrerId === grant.referrerId &&
                other.paidAtMs >= month.startMs &&
                other.paidAtMs < month.endMs,
            );
            expect(sameMonth.length).toBeLessThanOrEqual(cap);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
