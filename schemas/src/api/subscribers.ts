// API schemas of PPPoE/static subscribers (/api/v1/subscribers).
import { z } from 'zod';
import { instantInputSchema } from './common';

export const SUBSCRIBER_PASSWORD_LENGTH_MIN = 8;
export const SUBSCRIBER_PASSWORD_LENGTH_MAX = 128;

export const subscriberStatusSchema = z.enum(['active', 'expired', 'suspended']);

const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits, dot, dash, underscore and @ only');
const accountNumberSchema = z
  .string()
  .trim()
  .min(3)
  .max(20)
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dash only (it is an M-Pesa account reference)');
/** The spellings routers and people use: AA:BB:…, aa-bb-…, aabb.ccdd.eeff (Cisco) and aabbccddeeff. */
const MAC_ADDRESS_PATTERN =
  /^(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}|(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})$/;
/** Stored as MikroTik writes a Calling-Station-Id, upper-case with colons; the AAA server compares normalised. */
const macAddressSchema = z
  .string()
  .trim()
  .regex(MAC_ADDRESS_PATTERN, 'a MAC address like 02:00:00:00:00:01')
  .transform((mac) => (mac.replace(/[^0-9A-Fa-f]/g, '').match(/../g) ?? []).join(':').toUpperCase());
const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+?[0-9]{9,15}$/, 'a phone number such as 254712345678');
/** A CPE's serial number as TR-069 reports it (DeviceInfo.SerialNumber, at most 64 characters). */
const cpeSerialNumberSchema = z.string().trim().min(1).max(64);
/** RFC 5321 Section 4.5.3.1.3: a path (and so an address) is at most 256 octets with its brackets. */
export const SUBSCRIBER_EMAIL_LENGTH_MAX = 254;
/** Where invoices and reset links go; stored lower-case, as people retype it. */
export const subscriberEmailSchema = z
  .string()
  .trim()
  .max(SUBSCRIBER_EMAIL_LENGTH_MAX)
  .pipe(z.email('an email address such as achieng@example.com'))
  .transform((email) => email.toLowerCase());
const passwordSchema = z.string().min(SUBSCRIBER_PASSWORD_LENGTH_MIN).max(SUBSCRIBER_PASSWORD_LENGTH_MAX);

export const createSubscriberInputSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema.optional(),
    planId: z.string().min(1).max(64),
    accountNumber: accountNumberSchema.optional(),
    fullName: z.string().trim().max(120).default(''),
    phone: phoneSchema.nullish(),
    staticIp: z.ipv4().nullish(),
    macAddress: macAddressSchema.nullish(),
    cpeSerialNumber: cpeSerialNumberSchema.nullish(),
    email: subscriberEmailSchema.nullish(),
    expiresAt: instantInputSchema.nullish(),
  })
  .strict();

export const updateSubscriberInputSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    accountNumber: accountNumberSchema,
    fullName: z.string().trim().max(120),
    phone: phoneSchema.nullable(),
    staticIp: z.ipv4().nullable(),
    macAddress: macAddressSchema.nullable(),
    cpeSerialNumber: cpeSerialNumberSchema.nullable(),
    email: subscriberEmailSchema.nullable(),
    expiresAt: instantInputSchema.nullable(),
  })
  .partial()
  .strict();

export const changePlanInputSchema = z.object({ planId: z.string().min(1).max(64) }).strict();

export const reactivateInputSchema = z.object({ expiresAt: instantInputSchema.optional() }).strict();

export const subscriberOutputSchema = z.object({
  id: z.string(),
  username: z.string(),
  planId: z.string(),
  accountNumber: z.string(),
  kind: z.enum(['pppoe', 'static']),
  status: subscriberStatusSchema,
  expiresAt: z.number().int().nullable(),
  staticIp: z.string().nullable(),
  macAddress: z.string().nullable(),
  fullName: z.string(),
  phone: z.string().nullable(),
  /** The CPE bound to this subscriber in GenieACS (TR-069), by serial number. */
  cpeSerialNumber: z.string().nullable(),
  /** Invoices are mailed here, and the customer portal's "forgot password" link. */
  email: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});

export const listSubscribersQuerySchema = z.object({
  /** Matches username, account number, name or phone. */
  q: z.string().trim().max(120).optional(),
  status: subscriberStatusSchema.optional(),
  planId: z.string().max(64).optional(),
});

export type CreateSubscriberInput = z.infer<typeof createSubscriberInputSchema>;
export type UpdateSubscriberInput = z.infer<typeof updateSubscriberInputSchema>;
export type SubscriberOutput = z.infer<typeof subscriberOutputSchema>;
export type ListSubscribersFilter = z.infer<typeof listSubscribersQuerySchema>;
