// The live "is this short name free?" answer of the sign-up form, by the one slug rule of the tenants API.
import { slugSchema } from '../../tenants/api';

/** Typed text longer than this is not looked up (a slug is at most 40 characters). */
const SLUG_INPUT_LENGTH_MAX = 64;

export type SlugAvailability =
  | { readonly slug: string; readonly isAvailable: true }
  | {
      readonly slug: string;
      readonly isAvailable: false;
      /** `reserved`: well-formed but kept for the platform (www, api…); `invalid`: not a short name at all. */
      readonly reason: 'invalid' | 'reserved' | 'taken';
      readonly message: string;
    };

/**
 * The answer for what was typed; `isTaken` asks the store about a well-formed slug (an existing ISP or a
 * pending sign-up holding it). Messages are for the form's status line.
 */
export function slugAvailability(typed: string, isTaken: (slug: string) => boolean): SlugAvailability {
  const parsed = slugSchema.safeParse(typed.slice(0, SLUG_INPUT_LENGTH_MAX));
  const slug = typed.trim().toLowerCase().slice(0, SLUG_INPUT_LENGTH_MAX);
  if (!parsed.success) {
    return {
      slug,
      isAvailable: false,
      // The schema's one refinement is the reserved-name check; every other issue is the name's form.
      reason: parsed.error.issues[0]?.code === 'custom' ? 'reserved' : 'invalid',
      message: parsed.error.issues[0]?.message ?? 'not a valid short name',
    };
  }
  if (isTaken(parsed.data)) {
    return { slug: parsed.data, isAvailable: false, reason: 'taken', message: 'already taken: try another' };
  }
  return { slug: parsed.data, isAvailable: true };
}
