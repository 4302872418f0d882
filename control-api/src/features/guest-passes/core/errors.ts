// Error codes of the guest-pass core: the one catalogue's entries (schemas/src/errors.ts), in the refusal shape.
import { errorCatalogue } from '@kiunga/schemas';
import type { RefusalEntry } from '../../shared/refusal';

export const guestPassErrorCatalogue = {
  guest_pass_used: errorCatalogue.guest_pass_used,
  guest_pass_daily_cap: errorCatalogue.guest_pass_daily_cap,
  guest_passes_disabled: errorCatalogue.guest_passes_disabled,
} as const satisfies Record<string, RefusalEntry>;

export type GuestPassErrorCode = keyof typeof guestPassErrorCatalogue;
