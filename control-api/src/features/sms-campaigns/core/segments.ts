// Who a campaign goes to, as validated data: one subscriber, everyone, or a group by plan, status, NAS,
// tag, "expires within N days" and "owes more than X". The integration turns a group into one SQL WHERE;
// `matchesSegment` is the meaning that SQL must have (and answers for small lists in memory).
//
// Within one filter the values are alternatives (plan A or plan B); different filters must all hold.
import type { SubscriberStatus } from '@kiunga/schemas';
import { z } from 'zod';

/** Choices in one filter: more plans, NAS or tags than this is "all" in practice. */
export const SEGMENT_FILTER_VALUES_MAX = 50;
/** A year ahead is the longest reminder horizon anyone plans. */
export const EXPIRES_WITHIN_DAYS_MAX = 365;
/** Ksh 10 million: above any debt an ISP's client runs up. */
export const OWES_MORE_THAN_CENTS_MAX = 1_000_000_000;
const DAY_MS = 86_400_000;

const idSchema = z.string().min(1).max(64);
/** Tags are the ISP's own words: "estate-a", "vip", "tower 3". */
const tagSchema = z.string().trim().min(1).max(40);
const values = <Schema extends z.ZodType>(schema: Schema) =>
  z.array(schema).min(1).max(SEGMENT_FILTER_VALUES_MAX);

export const segmentFiltersSchema = z
  .object({
    planIds: values(idSchema).optional(),
    statuses: values(z.enum(['active', 'expired', 'suspended'])).optional(),
    /** The NAS a subscriber's latest session came through. */
    nasIds: values(idSchema).optional(),
    tags: values(tagSchema).optional(),
    /** Not yet expired, and expiring before now + N days. */
    expiresWithinDays: z.number().int().min(1).max(EXPIRES_WITHIN_DAYS_MAX).optional(),
    /** Amount due strictly above this. */
    owesMoreThanCents: z.number().int().min(0).max(OWES_MORE_THAN_CENTS_MAX).optional(),
  })
  .strict()
  .refine((filters) => Object.values(filters).some((value) => value !== undefined), {
    message: 'a group needs at least one filter; send to everyone with {"kind": "all"}',
  });
export type SegmentFilters = z.infer<typeof segmentFiltersSchema>;

export const segmentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }).strict(),
  z.object({ kind: z.literal('subscriber'), subscriberId: idSchema }).strict(),
  z.object({ kind: z.literal('group'), filters: segmentFiltersSchema }).strict(),
]);
export type Segment = z.infer<typeof segmentSchema>;

/** One subscriber as the segment sees it. */
export interface SegmentFacts {
  readonly subscriberId: string;
  readonly planId: string;
  readonly status: SubscriberStatus;
  readonly lastNasId: string | null;
  readonly tags: readonly string[];
  readonly expiresAtMs: number | null;
  readonly amountDueCents: number;
}

function isAmong<Value>(allowed: readonly Value[] | undefined, value: Value | null): boolean {
  return allowed === undefined || (value !== null && allowed.includes(value));
}

export function matchesSegment(segment: Segment, facts: SegmentFacts, nowMs: number): boolean {
  if (segment.kind === 'all') return true;
  if (segment.kind === 'subscriber') return facts.subscriberId === segment.subscriberId;
  const { filters } = segment;
  if (!isAmong(filters.planIds, facts.planId)) return false;
  if (!isAmong(filters.statuses, facts.status)) return false;
  if (!isAmong(filters.nasIds, facts.lastNasId)) return false;
  if (filters.tags !== undefined && !filters.tags.some((tag) => facts.tags.includes(tag))) return false;
  if (filters.expiresWithinDays !== undefined) {
    const endMs = nowMs + filters.expiresWithinDays * DAY_MS;
    if (facts.expiresAtMs === null || facts.expiresAtMs < nowMs || facts.expiresAtMs >= endMs) return false;
  }
  if (filters.owesMoreThanCents !== undefined && !(facts.amountDueCents > filters.owesMoreThanCents))
    return false;
  return true;
}
