import { cents } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from './calendar';
import { defaultDunningPolicy } from './dunning';
import { serviceEndsAtMs } from './expiry';
import { eat } from './test-fixtures';

const invoice = (periodEndMs: number, dueAtMs: number, outstanding: number) => ({
  periodEndMs,
  dueAtMs,
  outstandingCents: cents(outstanding),
  status: outstanding > 0 ? ('open' as const) : ('paid' as const),
});

describe('serviceEndsAtMs', () => {
  it('ends service at the oldest unpaid invoice suspension step', () => {
    const invoices = [
      invoice(eat(2026, 2, 1), eat(2026, 1, 8), 500),
      invoice(eat(2026, 3, 1), eat(2026, 2, 8), 900),
    ];
    expect(serviceEndsAtMs(invoices, 7, defaultDunningPolicy)).toBe(eat(2026, 1, 11));
  });

  it('when paid up, runs to where the next invoice would be suspended', () => {
    const invoices = [invoice(eat(2026, 2, 1), eat(2026, 1, 8), 0)];
    expect(serviceEndsAtMs(invoices, 7, defaultDunningPolicy)).toBe(eat(2026, 2, 1) + 10 * DAY_MS);
  });

  it('leaves expiry alone before the first invoice, and never ends service without a suspend step', () => {
    expect(serviceEndsAtMs([], 7, defaultDunningPolicy)).toBeUndefined();
    const remindOnly = { steps: [{ daysFromDue: 0, action: 'remind' as const }] };
    expect(serviceEndsAtMs([invoice(eat(2026, 2, 1), eat(2026, 1, 8), 5)], 7, remindOnly)).toBeNull();
  });
});
