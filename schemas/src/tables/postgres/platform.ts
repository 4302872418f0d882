// PostgreSQL tables of the platform schema, derived from the SQLite definitions in ../platform.ts.
// A table added there must be named here too (schema-parity and the export test fail otherwise).
import * as sqlitePlatformTables from '../platform';
import { derivePostgresTables } from './derive';

export const {
  tenants,
  users,
  nasDevices,
  auditLog,
  platformSettings,
  roles,
  refreshTokens,
  consoleSessions,
  apiKeys,
  platformAccounts,
  platformCharges,
  platformPayments,
  platformLedgerEntries,
  platformPaymentIntents,
  platformNotices,
  platformCallbacks,
  nasHealth,
  nasAlerts,
  nasAlertHistory,
  tenantPhaseChanges,
  mailOutbox,
  passwordResetTokens,
  signups,
  signupSmsCodes,
  signupEmailLinks,
  customDomains,
  supportConversations,
  supportMessages,
  supportAttachments,
  supportEvents,
  supportCannedReplies,
  subscriberPasswordResetTokens,
} = derivePostgresTables(sqlitePlatformTables);
