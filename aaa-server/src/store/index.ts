// SQLite edge of the AAA server.
export * from './accounting-writer';
export * from './nas-registry';
export * from './subject-cache';
export * from './tenant-records';
