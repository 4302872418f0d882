// The AAA server's edge to the data layer: lookups and their cache, accounting writes, the NAS registry.
export * from './accounting-records';
export * from './accounting-writer';
export * from './auth-cache';
export * from './decision-log';
export * from './first-use-writes';
export * from './nas-registry';
export * from './tenant-records';
