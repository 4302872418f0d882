// Segments: validated as data, with one meaning for the SQL the integration writes.
import { describe, expect, it } from 'vitest';
import { matchesSegment, type SegmentFacts, segmentSchema } from './segments';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 1, 10, 9);
const subscriber: SegmentFacts = {
  subscriberId: 'sub_1',
  planId: 'pln_home',
  status: 'active',
  lastNasId: 'nas_a',
  tags: ['estate-a', 'vip'],
  expiresAtMs: NOW + 2 * DAY_MS,
  amountDueCents: 60_000,
};

describe('segments', () => {
  it('accept all, one subscriber, or a group with at least one filter', () => {
    expect(segmentSchema.parse({ kind: 'all' })).toEqual({ kind: 'all' });
    expect(segmentSchema.safeParse({ kind: 'group', filters: {} }).success).toBe(false);
    expect(segmentSchema.safeParse({ kind: 'group', filters: { planIds: [] } }).success).toBe(false);
    expect(segmentSchema.safeParse({ kind: 'group', filters: { statuses: ['gone'] } }).success).toBe(false);
    expect(segmentSchema.safeParse({ kind: 'group', filters: { expiresWithinDays: 0 } }).success).toBe(false);
    expect(segmentSchema.safeParse({ kind: 'everyone' }).success).toBe(false);
  });

  it('match alternatives within a filter and require every filter', () => {
    const group = (filters: object) => segmentSchema.parse({ kind: 'group', filters });
    expect(
      matchesSegment(group({ planIds: ['pln_x', 'pln_home'], statuses: ['active'] }), subscriber, NOW),
    ).toBe(true);
    expect(matchesSegment(group({ planIds: ['pln_home'], statuses: ['expired'] }), subscriber, NOW)).toBe(
      false,
    );
    expect(matchesSegment(group({ tags: ['vip', 'other'] }), subscriber, NOW)).toBe(true);
    expect(matchesSegment(group({ nasIds: ['nas_b'] }), subscriber, NOW)).toBe(false);
    expect(matchesSegment(group({ nasIds: ['nas_a'] }), { ...subscriber, lastNasId: null }, NOW)).toBe(false);
  });

  it('read "expires within N days" as not yet expired and before now + N days', () => {
    const within = (days: number, expiresAtMs: number | null) =>
      matchesSegment(
        segmentSchema.parse({ kind: 'group', filters: { expiresWithinDays: days } }),
        { ...subscriber, expiresAtMs },
        NOW,
      );
    expect(within(3, NOW + 2 * DAY_MS)).toBe(true);
    expect(within(2, NOW + 2 * DAY_MS)).toBe(false);
    expect(within(3, NOW - 1)).toBe(false);
    expect(within(3, null)).toBe(false);
  });

  it('read "owes more than X" strictly', () => {
    const owes = (cents: number) =>
      matchesSegment(
        segmentSchema.parse({ kind: 'group', filters: { owesMoreThanCents: cents } }),
        subscriber,
        NOW,
      );
    expect(owes(59_999)).toBe(true);
    expect(owes(60_000)).toBe(false);
  });
});
