// Router health: the per-ISP quiet threshold, a NAS's health view, and the every-minute job that polls
// NAS with SNMP (a few at a time, each poll bounded) and raises or clears quiet-NAS alerts, texting
// the owner of a Tier 2 ISP through the notifications outbox.
import { readTenantSetting, type SqlDatabase, servedTenantIds, writeTenantSetting } from '@kiunga/schemas';
import {
  pollNasHealth,
  type SnmpHealthSample,
  SnmpPollError,
  type SnmpSettings,
  type SnmpTarget,
  snmpSettingsSchema,
} from '../../integrations/snmp';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { queueOwnerAlert } from '../email/owner-alerts';
import { nairobiDateTime } from '../shared/nairobi-time';
import { METERING_SETTLE_MS } from '../usage/metering.job';
import { recordNasStateChange } from '../webhooks/emitters';
import {
  assessNasHealth,
  decideNasAlert,
  describeNasHealth,
  interfaceThroughput,
  type MonitoringSettings,
  monitoringSettingsSchema,
  type NasHealthFacts,
  type NasHealthView,
  nasAlertMessage,
} from './core';
import {
  allNasHealthRows,
  applyNasAlertDecision,
  followNasAccounting,
  lastAccountingAtOf,
  type NasHealthRow,
  pollTargets,
  queueOwnerSms,
  readNasAlert,
  readNasHealthRow,
  recordPollAnswer,
  recordPollFailure,
  sampleFromJson,
  writeNasSnmp,
} from './store';

/** Every minute, as issue 12 asks: a quiet threshold of 3 minutes then sees at least two polls. */
export const NAS_MONITORING_CRON = '* * * * *';
/** Polls in flight at once: a hundred NAS at the 20 s worst case each finish within the minute. */
export const SNMP_POLL_CONCURRENCY = 8;
const MONITORING_SETTING_KEY = 'monitoring.quiet_threshold_minutes';

export async function readMonitoringSettings(tenant: SqlDatabase): Promise<MonitoringSettings> {
  const stored = await readTenantSetting(tenant, MONITORING_SETTING_KEY);
  const parsed = monitoringSettingsSchema.safeParse({ quietThresholdMinutes: stored });
  return parsed.success ? parsed.data : monitoringSettingsSchema.parse({});
}

export async function writeMonitoringSettings(
  tenant: SqlDatabase,
  settings: MonitoringSettings,
  nowMs: number,
): Promise<MonitoringSettings> {
  await writeTenantSetting(tenant, MONITORING_SETTING_KEY, settings.quietThresholdMinutes, nowMs);
  return settings;
}

async function factsOf(
  dependencies: ApiDependencies,
  row: NasHealthRow,
  quietThresholdMinutes: number,
): Promise<NasHealthFacts> {
  return {
    lastSnmpAnswerAtMs: row.lastSnmpAnswerAt,
    lastAccountingAtMs: await lastAccountingAtOf(dependencies.databases.forTenant(row.tenantId), row.nasId),
    monitoredSinceMs: row.monitoredSince ?? row.nasCreatedAt,
    quietThresholdMinutes,
  };
}

export interface NasHealthOutput extends NasHealthView {
  /** Extensions: SNMP settings without the community, the alert, and per-interface rates. */
  snmpSettings: { port: number; version: string } | null;
  lastSnmpError: string | null;
  isAlertRaised: boolean;
  /** When the open quiet alert was raised; null with none open. */
  alertRaisedAt: number | null;
  throughput: Array<{ name: string; inBitsPerSecond: number; outBitsPerSecond: number }>;
}

/** GET /api/v1/nas/<id>/health: the shape, plus what the console shows beside it. */
export async function nasHealthOf(
  dependencies: ApiDependencies,
  tenantId: string,
  nasId: string,
): Promise<NasHealthOutput> {
  const platform = dependencies.databases.platform;
  const row = await readNasHealthRow(platform, tenantId, nasId);
  const settings = await readMonitoringSettings(dependencies.databases.forTenant(tenantId));
  const facts = await factsOf(dependencies, row, settings.quietThresholdMinutes);
  const last = sampleFromJson(row.lastSample);
  const previous = sampleFromJson(row.previousSample);
  const alert = await readNasAlert(platform, nasId);
  return {
    ...describeNasHealth(facts, last, dependencies.clock.now()),
    snmpSettings:
      row.hasSnmp === 1 && row.snmpPort !== null
        ? { port: row.snmpPort, version: row.snmpVersion ?? '2c' }
        : null,
    lastSnmpError: row.lastSnmpErrorKind,
    isAlertRaised: alert?.isRaised === true,
    alertRaisedAt: alert?.isRaised === true ? alert.raisedAtMs : null,
    throughput: last && previous ? interfaceThroughput(previous, last) : [],
  };
}

export type PollNas = (target: SnmpTarget) => Promise<SnmpHealthSample>;

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function forEachBounded<Item>(
  items: readonly Item[],
  concurrency: number,
  work: (item: Item) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as Item;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Polls every NAS with SNMP set; each answer or failure is stored as it comes. */
export async function pollAllNas(
  dependencies: ApiDependencies,
  poll: PollNas = (target) => pollNasHealth(target, { clock: dependencies.clock }),
): Promise<{ answered: number; failed: number }> {
  const platform = dependencies.databases.platform;
  const targets = await pollTargets(platform, dependencies.secretBox);
  let answered = 0;
  let failed = 0;
  await forEachBounded(targets, SNMP_POLL_CONCURRENCY, async ({ nasId, target }) => {
    try {
      await recordPollAnswer(platform, nasId, await poll(target));
      answered += 1;
    } catch (error) {
      if (!(error instanceof SnmpPollError)) throw error;
      await recordPollFailure(platform, nasId, error.kind, dependencies.clock.now());
      failed += 1;
    }
  });
  return { answered, failed };
}

/** Judges every NAS: raises an alert on one gone quiet, clears it when it is heard again. */
export async function updateNasAlerts(
  dependencies: ApiDependencies,
): Promise<{ raised: number; cleared: number }> {
  const platform = dependencies.databases.platform;
  const nowMs = dependencies.clock.now();
  const settingsOf = new Map<string, MonitoringSettings>();
  let raised = 0;
  let cleared = 0;
  for (const row of await allNasHealthRows(platform)) {
    const tenant = dependencies.databases.forTenant(row.tenantId);
    let settings = settingsOf.get(row.tenantId);
    if (settings === undefined) {
      settings = await readMonitoringSettings(tenant);
      settingsOf.set(row.tenantId, settings);
    }
    const health = assessNasHealth(await factsOf(dependencies, row, settings.quietThresholdMinutes), nowMs);
    const decision = decideNasAlert(await readNasAlert(platform, row.nasId), health, nowMs);
    if (decision.action === 'none') continue;
    if (!(await applyNasAlertDecision(platform, row, decision))) continue;
    await recordNasStateChange(tenant, row, decision.action === 'raise', nowMs);
    if (decision.action === 'raise') raised += 1;
    else cleared += 1;
    if (decision.shouldTextOwner)
      await tellOwner(dependencies, row, decision.action, health.lastSeenAtMs, nowMs);
  }
  return { raised, cleared };
}

/**
 * The owner hears of the router by email on every tier when email is on (issue 14), and by SMS on Tier 2
 * (the SMS feature) only; a Tier 1 ISP without email sees the console banner.
 */
async function tellOwner(
  dependencies: ApiDependencies,
  row: NasHealthRow,
  action: 'raise' | 'clear',
  lastSeenAtMs: number | null,
  nowMs: number,
): Promise<void> {
  const platform = dependencies.databases.platform;
  const body = nasAlertMessage(
    action,
    row.name,
    lastSeenAtMs === null ? null : nairobiDateTime(lastSeenAtMs),
  );
  await queueOwnerAlert(
    dependencies,
    platform,
    row.tenantId,
    {
      title: action === 'raise' ? `Router ${row.name} is down` : `Router ${row.name} is back online`,
      lines: [body],
      consolePath: '/isp/nas',
    },
    nowMs,
  );
  const hasFeature = await tenantFeatures(platform, row.tenantId);
  if (!hasFeature('sms')) return;
  const owner = await platform.get<{ phone: string | null }>(
    'SELECT contact_phone AS phone FROM tenants WHERE id = ?',
    [row.tenantId],
  );
  if (!owner?.phone) return;
  await queueOwnerSms(
    dependencies.databases.forTenant(row.tenantId),
    {
      dedupeKey: `nas_alert:${row.nasId}:${action}:${nowMs}`,
      recipient: owner.phone,
      body,
      nasId: row.nasId,
    },
    nowMs,
  );
}

/**
 * Each served ISP's NAS last-accounting times, from the accounting log's rows since the last run
 * (the AAA server's durable log, read after the fact: its writer is not touched).
 */
export async function followAccountingOfAllNas(dependencies: ApiDependencies): Promise<number> {
  const settledBeforeMs = dependencies.clock.now() - METERING_SETTLE_MS;
  let updated = 0;
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    if (!(await dependencies.databases.hasTenant(tenantId))) continue;
    updated += await followNasAccounting(dependencies.databases.forTenant(tenantId), settledBeforeMs);
  }
  return updated;
}

/** The every-minute job: poll, follow accounting, then judge. */
export async function runNasMonitoring(dependencies: ApiDependencies, poll?: PollNas) {
  const polls = await pollAllNas(dependencies, poll);
  const accountingNas = await followAccountingOfAllNas(dependencies);
  const alerts = await updateNasAlerts(dependencies);
  return { ...polls, accountingNas, ...alerts };
}

/** What PATCH /api/v1/nas/<id> takes besides the NAS fields: `snmp` (null turns polling off). */
export const nasSnmpPatchShape = { snmp: snmpSettingsSchema.nullable().optional() };

/**
 * Saves a PATCH's `snmp` (when given) and says it for the audit log without the community: it is a
 * secret, sealed at rest like the RADIUS secret and never read back.
 */
export async function saveNasSnmpPatch(
  dependencies: ApiDependencies,
  tenantId: string,
  nasId: string,
  snmp: SnmpSettings | null | undefined,
): Promise<{ snmp?: { port: number; version: string } | null }> {
  if (snmp === undefined) return {};
  const { platform } = dependencies.databases;
  await writeNasSnmp(platform, dependencies.secretBox, tenantId, nasId, snmp, dependencies.clock.now());
  return { snmp: snmp === null ? null : { port: snmp.port, version: snmp.version } };
}
