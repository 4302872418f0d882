// Which NAS to poll and how: the `snmp` settings an ISP saves on a NAS, validated once at the edge.
import { z } from 'zod';

/** SNMP's registered port (RFC 3417 section 3, "Serialization"; IANA snmp 161/udp). */
export const SNMP_PORT_DEFAULT = 161;
/**
 * A community is a shared secret sent in clear text: long enough for 32 random bytes in hex, and
 * printable ASCII only, because RouterOS types it on its console and snmp-native sends it as UTF-8.
 */
export const SNMP_COMMUNITY_CHARS_MAX = 64;

/** What `PATCH /api/v1/nas/<id>` takes as `snmp` (null turns polling off). */
export const snmpSettingsSchema = z.object({
  community: z
    .string()
    .min(1)
    .max(SNMP_COMMUNITY_CHARS_MAX)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  port: z.number().int().min(1).max(65_535).default(SNMP_PORT_DEFAULT),
  /** Only SNMPv2c: the first with Counter64 (RFC 3416) and what snmp-native speaks besides v1. */
  version: z.literal('2c').default('2c'),
});

export type SnmpSettings = z.infer<typeof snmpSettingsSchema>;

/** One NAS to poll: its address (the NAS registry's IP) and its SNMP settings. */
export interface SnmpTarget {
  readonly host: string;
  readonly port: number;
  readonly community: string;
  readonly version: '2c';
}
