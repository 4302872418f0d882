// What other packages may use from @kiunga/schemas.

export * from './aaa-control';
export * from './api/index';
export * from './clock';
export * from './database';
export * from './db/index';
export * from './domain';
export * from './errors';
export * from './file-modes';
export * from './ids';
export * from './money';
export * from './phone';
export * from './random-text';
export * from './secret-box';
export * from './shard-registry';
export * from './tables/index';
export * as platformSchema from './tables/platform';
export * as tenantSchema from './tables/tenant';
export * from './tenant-settings';
export * from './voucher-codes';
