// The usage API's series: every bucket of the range, zeros where nothing was used, and exact totals.
import { describe, expect, it } from 'vitest';
import { buildUsageSeries, usageQuerySchema } from './usage-series';

const HOUR_MS = 3_600_000;
/** Local midnight of 14 March 2030 in Nairobi (UTC+3). */
const MIDNIGHT = Date.UTC(2030, 2, 13, 21);

describe('buildUsageSeries', () => {
  it('fills every hour of the range and adds up the totals', () => {
    const series = buildUsageSeries(
      [
        { bucketStartMs: MIDNIGHT + HOUR_MS, inputOctets: 10, outputOctets: 100, sessionSeconds: 60 },
        { bucketStartMs: MIDNIGHT + 3 * HOUR_MS, inputOctets: 5, outputOctets: 50, sessionSeconds: 30 },
        // Outside the range: not counted.
        { bucketStartMs: MIDNIGHT + 9 * HOUR_MS, inputOctets: 999, outputOctets: 999, sessionSeconds: 999 },
      ],
      { fromMs: MIDNIGHT, toMs: MIDNIGHT + 4 * HOUR_MS },
      'hour',
    );
    expect(series.items.map((item) => item.inputOctets)).toEqual([0, 10, 0, 5]);
    expect(series.items[0]?.start).toBe(MIDNIGHT);
    expect(series.totals).toEqual({ inputOctets: 15, outputOctets: 150, sessionSeconds: 90 });
  });

  it('counts days from local midnight in Nairobi', () => {
    const series = buildUsageSeries(
      [],
      { fromMs: MIDNIGHT + 5 * HOUR_MS, toMs: MIDNIGHT + 49 * HOUR_MS },
      'day',
    );
    expect(series.items.map((item) => item.start)).toEqual([
      MIDNIGHT,
      MIDNIGHT + 24 * HOUR_MS,
      MIDNIGHT + 48 * HOUR_MS,
    ]);
  });
});

describe('usageQuerySchema', () => {
  it('takes one subject, local dates and a granularity', () => {
    expect(
      usageQuerySchema.parse({
        voucherId: 'vch_1',
        from: '2030-03-14',
        to: '2030-03-15',
        granularity: 'hour',
      }),
    ).toEqual({
      subject: { kind: 'voucher', id: 'vch_1' },
      range: { fromMs: MIDNIGHT, toMs: MIDNIGHT + 24 * HOUR_MS },
      granularity: 'hour',
    });
  });

  it('refuses two subjects, none, a reversed range and more than a year', () => {
    const range = { from: '2030-03-14', to: '2030-03-15' };
    expect(usageQuerySchema.safeParse({ subscriberId: 's', voucherId: 'v', ...range }).success).toBe(false);
    expect(usageQuerySchema.safeParse(range).success).toBe(false);
    expect(usageQuerySchema.safeParse({ voucherId: 'v', from: '2030-03-15', to: '2030-03-14' }).success).toBe(
      false,
    );
    expect(usageQuerySchema.safeParse({ voucherId: 'v', from: '2029-01-01', to: '2030-03-14' }).success).toBe(
      false,
    );
  });
});
