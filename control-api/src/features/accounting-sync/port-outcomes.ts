// How a vendor client's error becomes the executor's outcome: what the sync should do next.

import { formatLocalDate, localDateOf } from '../../billing/core/calendar';
import { AccountingApiError } from '../../integrations/accounting-common/errors';
import type { PortOutcome } from './core/executor';

export function outcomeOfError(error: unknown): PortOutcome {
  if (error instanceof AccountingApiError) {
    const first = error.items[0];
    const failure =
      error.kind === 'authentication' || error.kind === 'forbidden'
        ? 'reconnect'
        : error.kind === 'throttled'
          ? 'throttled'
          : error.kind === 'validation' || error.kind === 'not_found'
            ? 'validation'
            : 'transient';
    return {
      ok: false,
      failure,
      message: error.message,
      vendorCode: first?.code ?? null,
      retryAfterMs: error.retryAfterSeconds === undefined ? null : error.retryAfterSeconds * 1000,
    };
  }
  // Our own refusal before anything was sent (a number too long for the vendor's field).
  if (error instanceof RangeError)
    return { ok: false, failure: 'validation', message: error.message, vendorCode: null, retryAfterMs: null };
  throw error;
}

export function refusal(message: string, vendorCode: string | null = null): PortOutcome {
  return { ok: false, failure: 'validation', message, vendorCode, retryAfterMs: null };
}

/** A vendor record a dependency produced; the executor only calls when every dependency is synced. */
export function requireVendorId(vendorIdOf: (key: string) => string | null, key: string): string {
  const id = vendorIdOf(key);
  if (id === null)
    throw new Error(`no vendor id for ${key}: the executor ran an operation before its dependency`);
  return id;
}

/** YYYY-MM-DD of the instant in Africa/Nairobi: the date printed on the ISP's documents. */
export function nairobiDateOf(timeMs: number): string {
  return formatLocalDate(localDateOf(timeMs));
}

/** "Jane Wanjiru (ACC-1001)": unique per ISP because the account number is; names alone repeat. */
export function customerDisplayName(fullName: string, accountNumber: string): string {
  const name = fullName.trim().replaceAll(':', ' ');
  return name === '' ? accountNumber : `${name} (${accountNumber})`;
}
