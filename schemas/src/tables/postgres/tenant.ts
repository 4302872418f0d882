// PostgreSQL tables of one tenant's schema, derived from the SQLite definitions in ../tenant.ts.
// A table added there must be named here too (schema-parity and the export test fail otherwise).
import * as sqliteTenantTables from '../tenant';
import { derivePostgresTables } from './derive';

export const {
  tenantSettings,
  plans,
  voucherBatches,
  vouchers,
  subscribers,
  sessions,
  accountingLog,
  invoices,
  billingSubscribers,
  billingPendingLines,
  dunningActions,
  notifications,
  billingCounters,
  purchases,
  payments,
  ledgerEntries,
  providerCallbacks,
  accessDecisions,
  usageRollups,
  usageMeterSessions,
  usageMeterCursor,
  fairUseStates,
  resellers,
  commissionRules,
  resellerStockPurchases,
  resellerCommissions,
  resellerTopUps,
  resellerPayouts,
} = derivePostgresTables(sqliteTenantTables);
