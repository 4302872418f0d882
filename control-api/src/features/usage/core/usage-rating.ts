// Rating: data beyond a plan's included allowance, priced per GB, as an invoice line in the ISP's unit.
//
// Rounding follows the money rules (billing/proration.ts): the charge for the first x bytes of a cycle
// is share(x) = floor(billable(x) × price per GB / GB) in whole invoice units (shillings by default),
// billable(x) = max(0, x − included). A cycle rated in parts, [0, a) then [a, b) then [b, total), is
// charged share(a) − share(0) + share(b) − share(a) + …: the parts add up to exactly share(total),
// and no part is more than one unit from its exact value.
import { type Cents, cents, formatKsh } from '@kiunga/schemas';
import { formatLocalDate, localDateOf } from '../../../billing/core/calendar';
import type { InvoiceUnitCents } from '../../../billing/core/units';

/** A GB as the console types data caps (binary, as MikroTik and most ISPs count): 1024³ bytes. */
export const BYTES_PER_GIGABYTE = 1024 ** 3;

export interface UsagePricing {
  readonly includedBytes: number;
  readonly pricePerGigabyteCents: Cents;
}

/** A usage invoice line; its shape is billing's InvoiceLine with kind 'usage' (billing adds that kind). */
export interface UsageInvoiceLine {
  readonly kind: 'usage';
  readonly description: string;
  readonly amountCents: Cents;
  readonly planId: string;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
}

/** share(x): the charge for the first `usageBytes` of a cycle, floored to whole invoice units. */
export function usageCharge(usageBytes: number, pricing: UsagePricing, unitCents: InvoiceUnitCents): Cents {
  if (!Number.isSafeInteger(usageBytes) || usageBytes < 0)
    throw new RangeError('usage is whole non-negative bytes');
  if (!Number.isSafeInteger(pricing.pricePerGigabyteCents) || pricing.pricePerGigabyteCents < 0) {
    throw new RangeError('the price per GB is non-negative integer cents');
  }
  const billableBytes = BigInt(Math.max(0, usageBytes - pricing.includedBytes));
  const units =
    (billableBytes * BigInt(pricing.pricePerGigabyteCents)) /
    (BigInt(BYTES_PER_GIGABYTE) * BigInt(unitCents));
  return cents(Number(units) * unitCents);
}

export interface UsageRatingInput {
  readonly plan: { readonly id: string; readonly name: string };
  readonly pricing: UsagePricing;
  readonly unitCents: InvoiceUnitCents;
  /** Usage of the cycle so far (input + output octets), and how much of it earlier lines already rated. */
  readonly usageBytes: number;
  readonly alreadyRatedBytes: number;
  readonly periodStartMs: number;
  readonly periodEndMs: number;
}

/** The line for usage in (alreadyRated, usage]; null when it comes to nothing. */
export function rateUsage(input: UsageRatingInput): UsageInvoiceLine | null {
  if (input.alreadyRatedBytes > input.usageBytes) throw new RangeError('more was rated than used');
  const amount =
    usageCharge(input.usageBytes, input.pricing, input.unitCents) -
    usageCharge(input.alreadyRatedBytes, input.pricing, input.unitCents);
  if (amount === 0) return null;
  const billableBytes =
    Math.max(0, input.usageBytes - input.pricing.includedBytes) -
    Math.max(0, input.alreadyRatedBytes - input.pricing.includedBytes);
  const from = formatLocalDate(localDateOf(input.periodStartMs));
  const to = formatLocalDate(localDateOf(input.periodEndMs - 1));
  return {
    kind: 'usage',
    description: `${input.plan.name}: ${formatGigabytes(billableBytes)} beyond ${formatGigabytes(input.pricing.includedBytes)} included at ${formatKsh(input.pricing.pricePerGigabyteCents)}/GB, ${from} to ${to}`,
    amountCents: cents(amount),
    planId: input.plan.id,
    periodStartMs: input.periodStartMs,
    periodEndMs: input.periodEndMs,
  };
}

/** "12.35 GB", hundredths rounded half up, by integer arithmetic. */
export function formatGigabytes(bytes: number): string {
  const hundredths = (BigInt(bytes) * 200n + BigInt(BYTES_PER_GIGABYTE)) / (2n * BigInt(BYTES_PER_GIGABYTE));
  const whole = hundredths / 100n;
  const fraction = hundredths % 100n;
  return fraction === 0n ? `${whole} GB` : `${whole}.${String(fraction).padStart(2, '0')} GB`;
}
