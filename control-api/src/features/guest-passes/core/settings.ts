// Guest-pass settings of an ISP and the portal's request, validated at the edge.
import { normaliseKenyanPhone } from '@kiunga/schemas';
import { z } from 'zod';

/** A minute is the shortest pass worth logging a device in for. */
export const GUEST_PASS_DURATION_SECONDS_MIN = 60;
/** A day: longer is not a trial but free service. */
export const GUEST_PASS_DURATION_SECONDS_MAX = 86_400;
/** 30 days between passes for one device is already "once"; longer periods only bloat the lookup. */
export const GUEST_PASS_PERIOD_SECONDS_MAX = 30 * 86_400;
/** MikroTik takes rates in bits per second with k/M suffixes; below 64 kbit/s a portal page barely loads. */
export const GUEST_PASS_RATE_KBPS_MIN = 64;
/** 1 Gbit/s: beyond any hotspot link. */
export const GUEST_PASS_RATE_KBPS_MAX = 1_000_000;
/** Passes per Nairobi day for one ISP; a cap above this is no cap. */
export const GUEST_PASS_DAILY_CAP_MAX = 100_000;

const rateSchema = z.number().int().min(GUEST_PASS_RATE_KBPS_MIN).max(GUEST_PASS_RATE_KBPS_MAX);

/**
 * `PUT /api/v1/settings/guest-passes {enabled, durationSeconds, rateUpKbps, rateDownKbps,
 * perDevicePeriodSeconds, dailyCap}` (issue 13's contract), extended with an optional period per phone
 * for portals that ask for a phone number (against MAC randomisation).
 */
export const guestPassSettingsSchema = z
  .object({
    enabled: z.boolean(),
    durationSeconds: z
      .number()
      .int()
      .min(GUEST_PASS_DURATION_SECONDS_MIN)
      .max(GUEST_PASS_DURATION_SECONDS_MAX),
    rateUpKbps: rateSchema,
    rateDownKbps: rateSchema,
    perDevicePeriodSeconds: z
      .number()
      .int()
      .min(GUEST_PASS_DURATION_SECONDS_MIN)
      .max(GUEST_PASS_PERIOD_SECONDS_MAX),
    perPhonePeriodSeconds: z
      .number()
      .int()
      .min(GUEST_PASS_DURATION_SECONDS_MIN)
      .max(GUEST_PASS_PERIOD_SECONDS_MAX)
      .nullable()
      .default(null),
    dailyCap: z.number().int().min(1).max(GUEST_PASS_DAILY_CAP_MAX),
    /** A pass only for a phone that proves itself by a one-time SMS code (Tier 2), against MAC randomisation. */
    requirePhone: z.boolean().default(false),
  })
  .strict()
  // A device whose pass still runs cannot take the next one: the period covers at least one pass.
  .refine((settings) => settings.perDevicePeriodSeconds >= settings.durationSeconds, {
    message: 'the period per device must be at least the pass duration',
    path: ['perDevicePeriodSeconds'],
  })
  .refine(
    (settings) =>
      settings.perPhonePeriodSeconds === null || settings.perPhonePeriodSeconds >= settings.durationSeconds,
    {
      message: 'the period per phone must be at least the pass duration',
      path: ['perPhonePeriodSeconds'],
    },
  );
export type GuestPassSettings = z.infer<typeof guestPassSettingsSchema>;

/** Off until the ISP turns it on; "Try free for 15 minutes", once a day per device, 500 a day. */
export const defaultGuestPassSettings: GuestPassSettings = {
  enabled: false,
  durationSeconds: 15 * 60,
  rateUpKbps: 1_024,
  rateDownKbps: 2_048,
  perDevicePeriodSeconds: 86_400,
  perPhonePeriodSeconds: null,
  dailyCap: 500,
  requirePhone: false,
};

/**
 * The device's MAC as the router's login page gives it (`$(mac)`: "01:23:45:67:89:AB", or "---" when the
 * router does not know it, which is refused: MikroTik RouterOS manual, HotSpot, "Servlet Page Variables",
 * login.html), dashes tolerated; stored upper case with colons, the form RouterOS sends as
 * Calling-Station-Id.
 */
export const macAddressSchema = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/, 'a MAC address like 02:00:00:00:00:01')
  .transform((mac) => mac.replaceAll('-', ':').toUpperCase());

/** The one-time code an SMS carries: six digits, what a person types from the message. */
export const PHONE_CODE_DIGITS = 6;

const kenyanPhoneSchema = z
  .string()
  .max(32)
  .transform((phone, context) => {
    const normalised = normaliseKenyanPhone(phone);
    if (normalised === null) {
      context.addIssue({ code: 'custom', message: 'a Kenyan mobile number such as 0712 345 678' });
      return z.NEVER;
    }
    return normalised;
  });

/** `POST /portal/<slug>/api/guest-passes {mac, phone?, code?}` (code: when the ISP requires the phone check). */
export const guestPassRequestSchema = z
  .object({
    mac: macAddressSchema,
    phone: kenyanPhoneSchema.optional(),
    code: z
      .string()
      .trim()
      .regex(new RegExp(`^\\d{${PHONE_CODE_DIGITS}}$`), `the ${PHONE_CODE_DIGITS}-digit code from the SMS`)
      .optional(),
  })
  .strict();
export type GuestPassRequest = z.infer<typeof guestPassRequestSchema>;

/** `POST /portal/<slug>/api/guest-passes/codes {phone}`: a one-time code by SMS to that phone. */
export const phoneCodeRequestSchema = z.object({ phone: kenyanPhoneSchema }).strict();

/**
 * A locally administered MAC (bit 1 of the first octet set) is what phones' MAC randomisation produces:
 * worth a line in diagnostics, and the reason a phone check exists.
 */
export function isLocallyAdministeredMac(mac: string): boolean {
  const firstOctet = Number.parseInt(mac.slice(0, 2), 16);
  return (firstOctet & 0b10) !== 0;
}
