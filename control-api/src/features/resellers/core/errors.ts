// Error codes of the reseller core: its entries of the one catalogue (schemas/src/errors.ts).
import { errorCatalogue } from '@kiunga/schemas';
import type { RefusalEntry } from '../../shared/refusal';

const RESELLER_ERROR_CODES = [
  'wallet_insufficient',
  'payout_exceeds_owed',
  'reseller_depth_exceeded',
  'reseller_outside_subtree',
  'reseller_parent_unknown',
  'reseller_move_creates_cycle',
  'reseller_code_unknown',
] as const;

export type ResellerErrorCode = (typeof RESELLER_ERROR_CODES)[number];

export const resellerErrorCatalogue: Readonly<Record<ResellerErrorCode, RefusalEntry>> = Object.fromEntries(
  RESELLER_ERROR_CODES.map((code) => [code, errorCatalogue[code]]),
) as Record<ResellerErrorCode, RefusalEntry>;
