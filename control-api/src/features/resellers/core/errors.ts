// Error codes of the reseller core, in the catalogue's shape: the integration adds them to schemas/src/errors.ts.
import type { RefusalEntry } from '../../shared/refusal';

export const resellerErrorCatalogue = {
  wallet_insufficient: {
    status: 402,
    message: 'The wallet does not hold enough for this purchase. Top up first, or buy fewer vouchers.',
  },
  payout_exceeds_owed: {
    status: 409,
    message: 'This payout is more than the commission owed to the reseller.',
  },
  reseller_depth_exceeded: {
    status: 409,
    message: 'The reseller hierarchy of this ISP is not that deep: choose a parent higher up.',
  },
  reseller_outside_subtree: {
    status: 403,
    message: 'A reseller can only manage its own sub-resellers.',
  },
  reseller_parent_unknown: { status: 404, message: 'No such parent reseller.' },
  reseller_move_creates_cycle: {
    status: 409,
    message: 'A reseller cannot be moved under itself or under one of its own sub-resellers.',
  },
  reseller_code_unknown: {
    status: 404,
    message: 'No reseller has that code. Check the code, or buy without one.',
  },
} as const satisfies Record<string, RefusalEntry>;

export type ResellerErrorCode = keyof typeof resellerErrorCatalogue;
