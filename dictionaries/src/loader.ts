// Builds a Dictionary from hand-written definitions: lookup by name and by (vendor, code).

import { microsoftVendor } from './microsoft';
import { mikrotikVendor } from './mikrotik';
import { extensionAttributes } from './rfc-extensions';
import { rfc2865Attributes } from './rfc2865';
import { rfc2866Attributes } from './rfc2866';
import type { AttributeDefinition, VendorDefinition } from './types';

/** Vendor id used in keys for attributes of the standard (non-vendor) space. */
const STANDARD_SPACE = 0;

export interface Dictionary {
  byName(name: string): AttributeDefinition | undefined;
  /** vendorId 0 (or undefined) means the standard attribute space. */
  byCode(code: number, vendorId?: number): AttributeDefinition | undefined;
  vendorByName(name: string): VendorDefinition | undefined;
  vendorById(vendorId: number): VendorDefinition | undefined;
  readonly attributes: readonly AttributeDefinition[];
  readonly vendors: readonly VendorDefinition[];
}

// Vendor codes fit in one byte for standard-format vendors and vendor ids in 32 bits,
// so a number key (vendorId * 256 + code) stays exact and avoids building strings.
const CODES_PER_VENDOR = 256;

function codeKey(vendorId: number, code: number): number {
  return vendorId * CODES_PER_VENDOR + code;
}

export function createDictionary(
  standardAttributes: readonly AttributeDefinition[],
  vendors: readonly VendorDefinition[],
): Dictionary {
  const byName = new Map<string, AttributeDefinition>();
  const byCode = new Map<number, AttributeDefinition>();
  const all = [...standardAttributes, ...vendors.flatMap((vendor) => vendor.attributes)];
  for (const definition of all) {
    const key = codeKey(definition.vendorId ?? STANDARD_SPACE, definition.code);
    if (byName.has(definition.name.toLowerCase()) || byCode.has(key)) {
      throw new Error(`duplicate dictionary entry ${definition.name}`);
    }
    byName.set(definition.name.toLowerCase(), definition);
    byCode.set(key, definition);
  }
  const vendorsByName = new Map(vendors.map((vendor) => [vendor.name.toLowerCase(), vendor]));
  const vendorsById = new Map(vendors.map((vendor) => [vendor.vendorId, vendor]));
  return {
    // Names compare without case, as FreeRADIUS does, so 'user-name' finds User-Name.
    byName: (name) => byName.get(name.toLowerCase()),
    byCode: (code, vendorId = STANDARD_SPACE) => byCode.get(codeKey(vendorId, code)),
    vendorByName: (name) => vendorsByName.get(name.toLowerCase()),
    vendorById: (vendorId) => vendorsById.get(vendorId),
    attributes: all,
    vendors,
  };
}

/** Every standard attribute Kiunga knows, in code order of their RFCs. */
export const standardAttributes: readonly AttributeDefinition[] = [
  ...rfc2865Attributes,
  ...rfc2866Attributes,
  ...extensionAttributes,
];

/** The dictionary the server and tools use: RFC attributes plus Microsoft and MikroTik. */
export const defaultDictionary: Dictionary = createDictionary(standardAttributes, [
  microsoftVendor,
  mikrotikVendor,
]);

/** Looks up the number of a named value, e.g. namedValue('Acct-Status-Type', 'Stop') → 2. */
export function namedValue(
  attributeName: string,
  valueName: string,
  dictionary: Dictionary = defaultDictionary,
): number | undefined {
  return dictionary.byName(attributeName)?.values?.[valueName];
}

/** The name of a value number, e.g. valueName('Acct-Status-Type', 2) → 'Stop'. */
export function valueName(
  attributeName: string,
  value: number,
  dictionary: Dictionary = defaultDictionary,
): string | undefined {
  const values = dictionary.byName(attributeName)?.values;
  if (!values) return undefined;
  for (const [name, number] of Object.entries(values)) {
    if (number === value) return name;
  }
  return undefined;
}
