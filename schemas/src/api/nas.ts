// API schemas of the NAS registry (/api/v1/nas): a MikroTik known by address or NAS-Identifier.
import { z } from 'zod';

/** RADIUS NAS-Identifier is free text; MikroTik sends its system identity (at most 64 bytes kept). */
export const NAS_IDENTIFIER_LENGTH_MAX = 64;
export const NAS_NAME_LENGTH_MAX = 80;
/** RFC 5176 §3: the port a NAS listens on for Dynamic Authorization. */
export const COA_PORT_DEFAULT = 3799;
/** RFC 1035 §2.3.4: a domain name is at most 253 characters written out, a label at most 63. */
export const DNS_NAME_LENGTH_MAX = 253;
/**
 * RouterOS asks /radius entries in list order and moves to the next only after `timeout` (3 s in the
 * generated script) without an answer: past four AAA nodes a client whose first servers are down waits
 * longer than a phone's captive-portal check (about 10 s) before it is even asked.
 */
export const RADIUS_SERVER_ADDRESSES_MAX = 4;

const ipAddressSchema = z.union([z.ipv4(), z.ipv6()]);

/**
 * One or more comma-separated IP addresses routers send RADIUS to, the first the primary. RouterOS's
 * `/radius address=` takes only an IPv4 or IPv6 address (RouterOS manual, RADIUS, Properties:
 * "address (IPv4/IPv6 address)"), so a host name is refused here rather than by the router.
 */
export const radiusServerAddressesSchema = z
  .string()
  .trim()
  .min(1)
  .max(RADIUS_SERVER_ADDRESSES_MAX * 40)
  .transform((text, context) => {
    const addresses = [
      ...new Set(
        text
          .split(',')
          .map((address) => address.trim())
          .filter((address) => address.length > 0),
      ),
    ];
    const notAddresses = addresses.filter((address) => !ipAddressSchema.safeParse(address).success);
    if (notAddresses.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `${notAddresses.map((address) => `'${address}'`).join(', ')} is not an IP address: RouterOS's /radius address= takes only IPv4 or IPv6 addresses, so give the IP address(es) your routers reach Kiunga's RADIUS server at`,
      });
      return z.NEVER;
    }
    if (addresses.length === 0 || addresses.length > RADIUS_SERVER_ADDRESSES_MAX) {
      context.addIssue({
        code: 'custom',
        message: `give 1 to ${RADIUS_SERVER_ADDRESSES_MAX} IP addresses, separated by commas`,
      });
      return z.NEVER;
    }
    return addresses;
  });

/**
 * The hotspot's DNS name as RouterOS wants it: "a fully qualified domain name is required" (RouterOS
 * manual, HotSpot, setup parameters: dns name). Lower-cased; an IP address is not a DNS name.
 */
export const hotspotDnsNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(DNS_NAME_LENGTH_MAX)
  .regex(
    /^(?=.*[a-z-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'a fully qualified DNS name such as hotspot.example.co.ke (not an IP address)',
  );

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
    hotspotDnsName: hotspotDnsNameSchema.nullish(),
    isHotspotHttps: z.boolean().default(false),
  })
  .strict();

export const updateNasInputSchema = z
  .object({
    name: z.string().trim().min(1).max(NAS_NAME_LENGTH_MAX),
    ipAddress: z.ipv4().nullable(),
    identifier: nasIdentifierSchema.nullable(),
    coaPort: z.number().int().min(1).max(65_535),
    requireMessageAuthenticator: z.boolean(),
    hotspotDnsName: hotspotDnsNameSchema.nullable(),
    isHotspotHttps: z.boolean(),
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
  hotspotDnsName: z.string().nullable(),
  isHotspotHttps: z.boolean(),
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
