// What tests and tools may use from @kiunga/ops.
export * from './config';
export { type DemoJson, type DemoTenantJson, seedDemo } from './demo/seed';
export { migrateAll } from './migrate';
export {
  freePort,
  type RunningKiunga,
  startKiungaOnFreePorts,
} from './started-kiunga';
