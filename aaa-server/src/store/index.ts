// SQLite edge of the AAA server.
export * from './accounting-records';
export * from './accounting-writer';
export * from './auth-cache';
export * from './nas-registry';
export * from './tenant-records';
