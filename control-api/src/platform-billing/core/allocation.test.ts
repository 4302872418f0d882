import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oldestUnpaidDueAt } from './allocation';

describe('oldestUnpaidDueAt', () => {
  const charges = [
    { dueAtMs: 200, amountCents: 50_000 },
    { dueAtMs: 100, amountCents: 50_000 },
  ];
  it('covers charges oldest first', () => {
    expect(oldestUnpaidDueAt(charges, 0)).toBe(100);
    expect(oldestUnpaidDueAt(charges, 49_999)).toBe(100);
    expect(oldestUnpaidDueAt(charges, 50_000)).toBe(200);
    expect(oldestUnpaidDueAt(charges, 100_000)).toBeNull();
    expect(oldestUnpaidDueAt([], 0)).toBeNull();
  });
  it('is null exactly when payments cover the total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ dueAtMs: fc.nat(), amountCents: fc.integer({ min: 1, max: 1_000_000 }) })),
        fc.nat(5_000_000),
        (list, paid) => {
          const total = list.reduce((sum, charge) => sum + charge.amountCents, 0);
          expect(oldestUnpaidDueAt(list, paid) === null).toBe(paid >= total);
        },
      ),
    );
  });
});
