// What every intake stage needs, passed explicitly.
import {
  type Clock,
  readTenantRadiusSettings,
  type SecretBox,
  type ShardRegistry,
  type TenantRadiusSettings,
  type TenantShard,
} from '@kiunga/schemas';
import type { Logger } from 'pino';
import type { SessionTable } from '../sessions/index';
import type { AccountingWriter, SubjectCache } from '../store/index';
import type { AaaMetrics } from './metrics';
import type { Subject } from './subject';

/** Tenant settings change rarely; re-reading them every 10 s keeps edits visible without a query per packet. */
export const TENANT_SETTINGS_TTL_MS = 10_000;

export class TenantSettingsCache {
  private readonly entries = new Map<string, { settings: TenantRadiusSettings; loadedAtMs: number }>();

  get(shard: TenantShard, nowMs: number): TenantRadiusSettings {
    const entry = this.entries.get(shard.tenantId);
    if (entry && nowMs - entry.loadedAtMs < TENANT_SETTINGS_TTL_MS) return entry.settings;
    const settings = readTenantRadiusSettings(shard);
    this.entries.set(shard.tenantId, { settings, loadedAtMs: nowMs });
    return settings;
  }

  forget(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}

export interface IntakeContext {
  clock: Clock;
  shards: ShardRegistry;
  secretBox: SecretBox;
  sessions: SessionTable;
  writer: AccountingWriter;
  metrics: AaaMetrics;
  logger: Logger;
  settings: TenantSettingsCache;
  subjects: SubjectCache<Subject>;
}
