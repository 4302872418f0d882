// The smallest amount an ISP's invoices move: a whole shilling by default, because M-Pesa moves no
// cents, or a cent when the ISP turns whole-shilling invoices off (docs/decisions.md "Whole-shilling invoices by default").
import { type Cents, cents } from '@kiunga/schemas';

/**
 * One shilling in cents. M-Pesa Express (STK Push) takes whole shillings only: Safaricom Daraja,
 * "M-Pesa Express" API, request parameter `Amount`: "Only whole numbers are supported".
 */
export const CENTS_PER_SHILLING = 100;

/** Cents in one invoice unit: a shilling (the default) or a cent. */
export type InvoiceUnitCents = typeof CENTS_PER_SHILLING | 1;

export function invoiceUnitCents(isWholeShillings: boolean): InvoiceUnitCents {
  return isWholeShillings ? CENTS_PER_SHILLING : 1;
}

export function isWholeUnits(amountCents: number, unitCents: InvoiceUnitCents): boolean {
  return Number.isSafeInteger(amountCents) && amountCents % unitCents === 0;
}

/**
 * numerator / denominator cents, rounded to the nearest whole unit (halves up), in exact integer
 * arithmetic: how a plan price for another cycle length, or a price with cents on a whole-shilling
 * ISP, becomes an invoice price. Amounts are not negative.
 */
export function roundToUnit(numeratorCents: number, denominator: number, unitCents: InvoiceUnitCents): Cents {
  if (!Number.isSafeInteger(numeratorCents) || numeratorCents < 0) {
    throw new RangeError(`amounts to round are non-negative integer cents, got ${numeratorCents}`);
  }
  if (!Number.isSafeInteger(denominator) || denominator < 1) {
    throw new RangeError(`denominator must be a positive integer, got ${denominator}`);
  }
  const units = BigInt(denominator) * BigInt(unitCents);
  const rounded = (2n * BigInt(numeratorCents) + units) / (2n * units);
  return cents(Number(rounded) * unitCents);
}
