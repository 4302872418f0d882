// What others may use from @kiunga/control-api.
export * from './app';
export { settleSubscriberPayment } from './billing/automation';
export { runTenantInvoices } from './billing/store';
export type { ApiDependencies } from './dependencies';
export { normalizeAddress } from './identity/client-address';
export { deriveTokenKey } from './identity/tokens';
export { runBillingJobs } from './jobs/billing';
export { expireVouchers } from './jobs/expire-vouchers';
export { startJobs } from './jobs/index';
export { sendPendingNotifications } from './jobs/notifications';
export { reconcilePendingPurchases } from './jobs/reconcile-purchases';
export { writeSmsSettings } from './notifications/sms-settings';
export type { PlatformBillingConfig } from './platform-billing/config';
export { reconcilePlatformStkPayments } from './platform-billing/mpesa';
export { payUpPlatformAccount } from './platform-billing/paid-up';
export { markRegistrationPending } from './portal/c2b-registration';
export { writeMpesaSettings } from './portal/mpesa-settings';
export * from './server';
