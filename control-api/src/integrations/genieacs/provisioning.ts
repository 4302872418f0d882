// What Kiunga stores in GenieACS besides tasks: the tag that marks an ISP's CPEs on a shared ACS, and
// the provision script + preset that push a subscriber's PPPoE credentials to a new CPE (GenieACS
// docs/provisions.rst: declare(), args, Date.now(interval); presets per docs/api-reference.rst "Presets").
import { KiungaError } from '@kiunga/schemas';
import type { GenieAcsDevice, GenieAcsPreset } from './schemas';

/** Every CPE of an ISP on the platform's shared GenieACS carries `kiunga-tenant-<tenantId>`. */
export const TENANT_TAG_PREFIX = 'kiunga-tenant-';
/** The provision script Kiunga installs once per ACS; presets call it with [username, password]. */
export const PPPOE_PROVISION_NAME = 'kiunga-pppoe';
/** GenieACS runs presets of one channel together; Kiunga's own keep their faults apart from the ISP's. */
export const KIUNGA_PRESET_CHANNEL = 'kiunga';
/** Kiunga ids are prefixed base64url (`ten_…`, `sub_…`): letters, digits, `_` and `-`. */
const KIUNGA_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** TR-069 DeviceInfo.SerialNumber is string(:64). */
const SERIAL_NUMBER = /^[\x21-\x7e]{1,64}$/;

/**
 * Sets the PPPoE username and password on every PPP connection the CPE has, in either data model (a
 * wildcard matching nothing does nothing). The password is written once and never refreshed: CPEs read
 * passwords back empty (GenieACS's own default provision says the same of Wi-Fi passphrases).
 */
export const PPPOE_PROVISION_SCRIPT = `
// Kiunga: PPPoE credentials from the preset's arguments [username, password].
const username = args[0];
const password = args[1];
if (typeof username === "string" && typeof password === "string") {
  const daily = Date.now(86400000);
  declare("InternetGatewayDevice.WANDevice.*.WANConnectionDevice.*.WANPPPConnection.*.Username", {path: daily, value: daily}, {value: username});
  declare("InternetGatewayDevice.WANDevice.*.WANConnectionDevice.*.WANPPPConnection.*.Password", {path: daily, value: 1}, {value: password});
  declare("Device.PPP.Interface.*.Username", {path: daily, value: daily}, {value: username});
  declare("Device.PPP.Interface.*.Password", {path: daily, value: 1}, {value: password});
}
`.trim();

export function tenantTag(tenantId: string): string {
  return `${TENANT_TAG_PREFIX}${kiungaId(tenantId)}`;
}

/** A device query limited to one ISP's CPEs on a shared ACS (`_tags` matches an element of the array). */
export function tenantDeviceQuery(
  tenantId: string,
  filter: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  const tagged = { _tags: tenantTag(tenantId) };
  return Object.keys(filter).length === 0 ? tagged : { $and: [tagged, filter] };
}

/** Whether a device belongs to the ISP on a shared ACS: check before every task on a device id from a URL. */
export function isDeviceOfTenant(device: Pick<GenieAcsDevice, '_tags'>, tenantId: string): boolean {
  return (device._tags ?? []).includes(tenantTag(tenantId));
}

export interface PppoePresetInput {
  readonly tenantId: string;
  readonly subscriberId: string;
  /** The CPE's DeviceInfo.SerialNumber, as the ISP typed it when binding the CPE. */
  readonly serialNumber: string;
  readonly username: string;
  readonly password: string;
}

/**
 * One subscriber's provisioning preset: on the CPE with this serial number, run the PPPoE provision with
 * the subscriber's credentials. Applies on every session (no event filter) so a CPE bound after its
 * first contact, or factory-reset later, still gets its credentials; the provision is idempotent.
 */
export function pppoePresetFor(input: PppoePresetInput): { name: string; preset: GenieAcsPreset } {
  if (!SERIAL_NUMBER.test(input.serialNumber)) {
    throw new KiungaError(
      'validation_failed',
      'A serial number is 1 to 64 printable characters without spaces.',
    );
  }
  const name = `${tenantPresetPrefix(input.tenantId)}${kiungaId(input.subscriberId)}`;
  return {
    name,
    preset: {
      weight: 0,
      channel: KIUNGA_PRESET_CHANNEL,
      events: {},
      // The documented precondition format: a JSON-encoded filter on device parameters.
      precondition: JSON.stringify({ 'DeviceID.SerialNumber': input.serialNumber }),
      configurations: [
        { type: 'provision', name: PPPOE_PROVISION_NAME, args: [input.username, input.password] },
      ],
    },
  };
}

/** The start of every preset name of one ISP (its subscribers' ids follow): to find and remove stale ones. */
export function tenantPresetPrefix(tenantId: string): string {
  return `kiunga-${kiungaId(tenantId)}-`;
}

function kiungaId(id: string): string {
  if (!KIUNGA_ID.test(id)) throw new RangeError(`not a Kiunga id: ${id.slice(0, 80)}`);
  return id;
}
