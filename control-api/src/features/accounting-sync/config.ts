// The platform's app registrations with QuickBooks Online and Xero (one per platform, shared by every
// ISP that connects its own company): KIUNGA_QUICKBOOKS_* and KIUNGA_XERO_* (ops/src/config.ts).
import type { AccountingVendor } from './core';

export interface AccountingVendorConfig {
  /** KIUNGA_<VENDOR>_BASE_URL: the API (the vendor's own, its sandbox, or ops/sim). */
  readonly baseUrl: string;
  /** KIUNGA_<VENDOR>_AUTH_URL / _TOKEN_URL: the vendor's own when absent. */
  readonly authorizeUrl?: string | undefined;
  readonly tokenUrl?: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
}

export type AccountingConfig = Readonly<Record<AccountingVendor, AccountingVendorConfig | null>>;

export const ACCOUNTING_VENDORS: readonly AccountingVendor[] = ['quickbooks', 'xero'];

/** Where the vendor sends the ISP's browser back; registered with the vendor exactly as written. */
export function accountingRedirectUri(publicUrl: string, vendor: AccountingVendor): string {
  return `${publicUrl.replace(/\/$/, '')}/callbacks/accounting/${vendor}`;
}
