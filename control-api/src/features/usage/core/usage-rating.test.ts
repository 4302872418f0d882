// Rating usage beyond the allowance: whole shillings, floors that never create or lose a unit across parts.
import { cents } from '@kiunga/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BYTES_PER_GIGABYTE, formatGigabytes, rateUsage, usageCharge } from './usage-rating';

const GB = BYTES_PER_GIGABYTE;
const CYCLE = { periodStartMs: Date.UTC(2030, 1, 28, 21), periodEndMs: Date.UTC(2030, 2, 31, 21) };
const pricing = { includedBytes: 50 * GB, pricePerGigabyteCents: cents(10_000) };

describe('rateUsage', () => {
  it('charges the gigabytes beyond the allowance as one invoice line in whole shillings', () => {
    const line = rateUsage({
      plan: { id: 'pln_home', name: 'Home 10 Mbps' },
      pricing: { includedBytes: 50 * GB, pricePerGigabyteCents: cents(3_333) },
      unitCents: 100,
      usageBytes: 62 * GB + GB / 2,
      alreadyRatedBytes: 0,
      ...CYCLE,
    });
    // 12.5 GB × Ksh 33.33 = Ksh 416.625 → Ksh 416.
    expect(line).toEqual({
      kind: 'usage',
      description: 'Home 10 Mbps: 12.50 GB beyond 50 GB included at Ksh 33.33/GB, 2030-03-01 to 2030-03-31',
      amountCents: 41_600,
      planId: 'pln_home',
      ...CYCLE,
    });
  });

  it('has no line within the allowance', () => {
    const input = {
      plan: { id: 'p', name: 'P' },
      pricing,
      unitCents: 100 as const,
      alreadyRatedBytes: 0,
      ...CYCLE,
    };
    expect(rateUsage({ ...input, usageBytes: 50 * GB })).toBeNull();
  });

  it('rated in any number of parts, adds up to exactly the whole cycle’s charge, each part within one unit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * GB }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 30 * GB }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(1 as const, 100 as const),
        (increments, includedBytes, priceCents, unitCents) => {
          const priced = { includedBytes, pricePerGigabyteCents: cents(priceCents) };
          let rated = 0;
          let charged = 0;
          for (const increment of increments) {
            const line = rateUsage({
              plan: { id: 'p', name: 'P' },
              pricing: priced,
              unitCents,
              usageBytes: rated + increment,
              alreadyRatedBytes: rated,
              ...CYCLE,
            });
            const amount = line?.amountCents ?? 0;
            expect(amount % unitCents).toBe(0);
            const billable =
              Math.max(0, rated + increment - includedBytes) - Math.max(0, rated - includedBytes);
            const exact = (billable * priceCents) / GB;
            expect(Math.abs(amount - exact)).toBeLessThan(unitCents);
            charged += amount;
            rated += increment;
          }
          expect(charged).toBe(usageCharge(rated, priced, unitCents));
        },
      ),
    );
  });
});

describe('formatGigabytes', () => {
  it('shows hundredths of a binary GB', () => {
    expect(formatGigabytes(12 * GB + GB / 2)).toBe('12.50 GB');
    expect(formatGigabytes(50 * GB)).toBe('50 GB');
  });
});
