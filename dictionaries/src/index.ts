// Public surface of @kiunga/dictionaries: RADIUS attribute definitions, codes and the typed loader.
export * from './constants';
export * from './loader';
export { MICROSOFT_VENDOR_ID, microsoftVendor } from './microsoft';
export { MIKROTIK_VENDOR_ID, mikrotikVendor } from './mikrotik';
export { ERROR_CAUSE_VALUES, extensionAttributes } from './rfc-extensions';
export { rfc2865Attributes } from './rfc2865';
export { ACCT_STATUS_TYPE_VALUES, ACCT_TERMINATE_CAUSE_VALUES, rfc2866Attributes } from './rfc2866';
export type * from './types';
