// What others may use from @kiunga/control-api.
export * from './app';
export type { ApiDependencies } from './dependencies';
export { deriveTokenKey } from './identity/tokens';
export { expireVouchers } from './jobs/expire-vouchers';
export { startJobs } from './jobs/index';
export { reconcilePendingPurchases } from './jobs/reconcile-purchases';
export * from './server';
