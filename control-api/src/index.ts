// What others may use from @kiunga/control-api.
export * from './app';
export { settleSubscriberPayment } from './billing/automation';
export { runBillingJobs } from './billing/billing.job';
export { runTenantInvoices } from './billing/store';
export { sendPendingNotifications } from './features/notifications/notifications.job';
export { writeSmsSettings } from './features/notifications/sms-settings';
export { expireVouchers } from './features/vouchers/expire-vouchers.job';
export { normalizeAddress } from './identity/client-address';
export { deriveTokenKey } from './identity/tokens';
export { startJobs } from './jobs';
export type { ApiDependencies } from './kernel/dependencies';
export { markRegistrationPending } from './mpesa/c2b-registration';
export { reconcilePendingPurchases } from './mpesa/reconcile-purchases.job';
export { writeMpesaSettings } from './mpesa/settings';
export type { PlatformBillingConfig } from './platform-billing/config';
export { reconcilePlatformStkPayments } from './platform-billing/mpesa';
export { payUpPlatformAccount } from './platform-billing/paid-up';
export * from './server';
