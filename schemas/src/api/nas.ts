// API schemas of the NAS registry (/api/v1/nas): a MikroTik known by address or NAS-Identifier.
import { z } from 'zod';

/** RADIUS NAS-Identifier is free text; MikroTik sends its system identity (at most 64 bytes kept). */
export const NAS_IDENTIFIER_LENGTH_MAX = 64;
export const NAS_NAME_LENGTH_MAX = 80;
/** RFC 5176 §3: the port a NAS listens on for Dynamic Authorization. */
export const COA_PORT_DEFAULT = 3799;

const nasIdentifierSchema = z
  .string()
  .trim()
  .min(1)
  .max(NAS_IDENTIFIER_LENGTH_MAX)
  .regex(/^[\x21-\x7e]+$/, 'use printable characters without spaces');

export const createNasInputSchema = z
  .object({
    name: z.string().trim().min(1).max(NAS_NAME_LENGTH_MAX),
    ipAddress: z.ipv4().nullish(),
    identifier: nasIdentifierSchema.nullish(),
    coaPort: z.number().int().min(1).max(65_535).default(COA_PORT_DEFAULT),
    requireMessageAuthenticator: z.boolean().default(true),
  })
  .strict();

export const updateNasInputSchema = z
  .object({
    name: z.string().trim().min(1).max(NAS_NAME_LENGTH_MAX),
    ipAddress: z.ipv4().nullable(),
    identifier: nasIdentifierSchema.nullable(),
    coaPort: z.number().int().min(1).max(65_535),
    requireMessageAuthenticator: z.boolean(),
  })
  .partial()
  .strict();

export const nasOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  ipAddress: z.string().nullable(),
  identifier: z.string().nullable(),
  coaPort: z.number().int(),
  requireMessageAuthenticator: z.boolean(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const nasWithSecretOutputSchema = nasOutputSchema.extend({
  secret: z.string(),
  routerosScript: z.string(),
});

export type CreateNasInput = z.infer<typeof createNasInputSchema>;
export type UpdateNasInput = z.infer<typeof updateNasInputSchema>;
export type NasOutput = z.infer<typeof nasOutputSchema>;
