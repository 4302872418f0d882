// Error codes of the guest-pass core, in the catalogue's shape: the integration adds them to schemas/src/errors.ts.
import type { RefusalEntry } from '../../shared/refusal';

export const guestPassErrorCatalogue = {
  /** Issue 13's contract: a second pass within the period is `429 {error: {code: "guest_pass_used", …}}`. */
  guest_pass_used: {
    status: 429,
    message: 'This device already had its free pass. Try again later, or buy a package.',
  },
  guest_pass_daily_cap: {
    status: 429,
    message: 'Free passes for today are used up. Try again tomorrow, or buy a package.',
  },
  guest_passes_disabled: {
    status: 403,
    message: 'This network does not offer free passes. Buy a package to get online.',
  },
} as const satisfies Record<string, RefusalEntry>;

export type GuestPassErrorCode = keyof typeof guestPassErrorCatalogue;
