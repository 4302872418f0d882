// What features build on, in one import: dependencies, errors, validation, pagination, tenant access,
// audit, permissions and the route declaration. Re-exports only, so features can import from kernel/
// while the files it re-exports still live where they are.
export { type AuditEntry, recordAudit, recordAuditAs, sourceAddressOf } from '../audit';
export type { ApiDependencies, AppEnv } from '../dependencies';
export { type Feature, requireFeature, tenantHasFeature } from '../middleware/require-feature';
export { requirePermission } from '../middleware/require-permission';
export * from '../pagination';
export type { Permission, Principal, PrincipalKind } from '../permissions';
export * from '../tenant-access';
export { isJsonRequest, parseJsonBody, parseQuery, parseWith } from '../validation';
export * from './errors';
export * from './openapi';
export * from './route';
