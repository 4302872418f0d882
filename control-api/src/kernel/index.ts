// What features build on, in one import: dependencies, errors, validation, pagination, tenant access,
// audit, permissions and the route declaration. Re-exports only, so features can import from kernel/
// while the files it re-exports still live where they are.

export type { Permission, Principal, PrincipalKind } from '../identity/permissions';
export { type AuditEntry, recordAudit, recordAuditAs, sourceAddressOf } from './audit';
export type { ApiDependencies, AppEnv } from './dependencies';
export * from './errors';
export { type Feature, requireFeature, tenantHasFeature } from './middleware/require-feature';
export { requirePermission } from './middleware/require-permission';
export * from './openapi';
export * from './pagination';
export * from './route';
export * from './tenant-access';
export { isJsonRequest, parseJsonBody, parseQuery, parseWith } from './validation';
