// What tests and tools may use from @kiunga/ops.
export * from './config';
export { seedDemo } from './demo/seed';
export { migrateAll } from './migrate';
