// Tables of data/platform.db for issue 12: each NAS's SNMP settings and health, its quiet-NAS alert
// and the alert's history (for the network report), and the ISPs' platform phase changes (analytics).
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per NAS with SNMP set or a health fact: what GET /api/v1/nas/<id>/health reads. */
export const nasHealth = sqliteTable(
  'nas_health',
  {
    nasId: text('nas_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    /** Sealed with the master key like the RADIUS secret; null: SNMP off (judged on accounting alone). */
    snmpCommunitySealed: text('snmp_community_sealed'),
    snmpPort: integer('snmp_port'),
    /** Only '2c' today (snmp-native speaks SNMPv2c). */
    snmpVersion: text('snmp_version'),
    /** When watching began: the NAS was added or SNMP turned on (monitoring core's monitoredSinceMs). */
    monitoredSince: integer('monitored_since').notNull(),
    lastSnmpAnswerAt: integer('last_snmp_answer_at'),
    /** timeout | agent_error | invalid_response | network, of the last failed poll; null after an answer. */
    lastSnmpErrorKind: text('last_snmp_error_kind'),
    /** JSON of the last SnmpHealthSample, counters as decimal strings. */
    lastSample: text('last_sample'),
    previousSample: text('previous_sample'),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('nas_health_tenant').on(table.tenantId)],
);

/** A NAS's quiet alert now: raised or cleared, and whether the owner was texted about it. */
export const nasAlerts = sqliteTable(
  'nas_alerts',
  {
    nasId: text('nas_id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    isRaised: integer('is_raised', { mode: 'boolean' }).notNull().default(false),
    raisedAt: integer('raised_at'),
    clearedAt: integer('cleared_at'),
    lastOwnerSmsAt: integer('last_owner_sms_at'),
    isOwnerTold: integer('is_owner_told', { mode: 'boolean' }).notNull().default(false),
  },
  (table) => [index('nas_alerts_tenant').on(table.tenantId, table.isRaised)],
);

/** Every raise and its clear: the quiet periods the network report turns into downtime. */
export const nasAlertHistory = sqliteTable(
  'nas_alert_history',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    nasId: text('nas_id').notNull(),
    raisedAt: integer('raised_at').notNull(),
    /** Null while the alert is still raised. */
    clearedAt: integer('cleared_at'),
  },
  (table) => [index('nas_alert_history_tenant').on(table.tenantId, table.raisedAt)],
);

/** An ISP's platform phase and tier from `at` until its next row (analytics spans). */
export const tenantPhaseChanges = sqliteTable(
  'tenant_phase_changes',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    at: integer('at').notNull(),
    /** trial | active | grace | restricted | suspended | archived */
    phase: text('phase').notNull(),
    /** trial | tier1 | tier2 */
    tier: text('tier').notNull(),
  },
  (table) => [index('tenant_phase_changes_tenant').on(table.tenantId, table.at)],
);
