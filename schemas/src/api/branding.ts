// API schemas of white labelling and RADIUS settings (/api/v1/branding, /api/v1/settings/radius).
import { z } from 'zod';

/** A logo is shown on every portal page load from a phone: 256 KB of data URL is plenty. */
export const LOGO_LENGTH_MAX = 256 * 1024;

const colourSchema = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1a7f5a')
  .transform((colour) => colour.toLowerCase());

const logoSchema = z
  .string()
  .trim()
  .max(LOGO_LENGTH_MAX, 'the logo is too large (at most 256 KB)')
  .refine(
    (logo) =>
      /^data:image\/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/.test(logo) ||
      /^https?:\/\/\S+$/.test(logo),
    'a data:image/...;base64 URL or an http(s) URL',
  );

export const brandingSchema = z.object({
  displayName: z.string().nullable(),
  logo: z.string().nullable(),
  primaryColor: z.string(),
  accentColor: z.string(),
});

export const updateBrandingInputSchema = z
  .object({
    displayName: z.string().trim().min(1).max(80).nullable(),
    logo: logoSchema.nullable(),
    primaryColor: colourSchema,
    accentColor: colourSchema,
  })
  .partial()
  .strict();

export const radiusSettingsSchema = z.object({
  idleTimeoutSeconds: z.number().int(),
  interimIntervalSeconds: z.number().int(),
  expiredAccountPolicy: z.enum(['reject', 'walled_garden']),
  walledGardenAddressList: z.string(),
});

export const updateRadiusSettingsInputSchema = z
  .object({
    /** One minute to one day: shorter kicks phones that sleep; longer pins device slots. */
    idleTimeoutSeconds: z.number().int().min(60).max(86_400),
    /** RouterOS accepts interim updates down to a minute; an hour is the longest useful. */
    interimIntervalSeconds: z.number().int().min(60).max(3_600),
    expiredAccountPolicy: z.enum(['reject', 'walled_garden']),
    walledGardenAddressList: z
      .string()
      .trim()
      .min(1)
      .max(63)
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  })
  .partial()
  .strict();

export type Branding = z.infer<typeof brandingSchema>;
export type UpdateBrandingInput = z.infer<typeof updateBrandingInputSchema>;
export type UpdateRadiusSettingsInput = z.infer<typeof updateRadiusSettingsInputSchema>;
