// Vouchers' first logins, written in groups per tenant: one that arrives while nothing is being written
// goes at once (no added wait); the ones that arrive while a write commits go together in the next
// transaction, so a burst of new vouchers (a hotspot's evening rush) costs one commit and one fsync per
// group instead of one each (100–300 µs of CPU each; issue 8 item 15). Each login's Accept still waits
// for the commit that stores its first use. Groups form where a commit yields to the event loop
// (PostgreSQL); SQLite commits synchronously, so there each first use is its own transaction.
import type { SqlDatabase } from '@kiunga/schemas';
import { type FirstUsesRecorded, recordVoucherFirstUses, type VoucherFirstUse } from './tenant-records';

/**
 * First uses per transaction at most: each is one UPDATE of a few microseconds, so a group of 250 holds
 * the tenant's write lock about a millisecond, as an accounting group of the same size does.
 */
export const FIRST_USE_GROUP_MAX = 250;

/** What one first use learns from its group's commit. */
export interface FirstUseStored {
  /** The expiry now stored (an earlier login's, when another node's first use won). */
  readonly expiresAtMs: number;
  /** The generation's move over the whole group, all of it this process's own writes. */
  readonly generationBefore: number;
  readonly generationAfter: number;
}

interface WaitingFirstUse {
  readonly use: VoucherFirstUse;
  resolve(stored: FirstUseStored): void;
  reject(error: unknown): void;
}

interface TenantFirstUses {
  readonly database: SqlDatabase;
  waiting: WaitingFirstUse[];
  isWriting: boolean;
}

export class FirstUseWrites {
  private readonly tenants = new Map<string, TenantFirstUses>();

  /** Stores the first use with the next group of the tenant; resolves once that group has committed. */
  record(tenantId: string, database: SqlDatabase, use: VoucherFirstUse): Promise<FirstUseStored> {
    let tenant = this.tenants.get(tenantId);
    if (tenant === undefined || tenant.database !== database) {
      tenant = { database, waiting: [], isWriting: false };
      this.tenants.set(tenantId, tenant);
    }
    const stored = new Promise<FirstUseStored>((resolve, reject) => {
      tenant.waiting.push({ use, resolve, reject });
    });
    if (!tenant.isWriting) void this.writeWaiting(tenantId, tenant);
    return stored;
  }

  /** Writes group after group until none waits; then forgets the tenant (nothing is kept while idle). */
  private async writeWaiting(tenantId: string, tenant: TenantFirstUses): Promise<void> {
    tenant.isWriting = true;
    while (tenant.waiting.length > 0) {
      const group = tenant.waiting.splice(0, FIRST_USE_GROUP_MAX);
      let recorded: FirstUsesRecorded;
      try {
        recorded = await recordVoucherFirstUses(
          tenant.database,
          group.map((waiting) => waiting.use),
        );
      } catch (error) {
        // The group's logins are dropped (no answer): their NAS retries, and the retry writes again.
        for (const waiting of group) waiting.reject(error);
        continue;
      }
      group.forEach((waiting, index) => {
        waiting.resolve({
          expiresAtMs: recorded.expiresAtMs[index] ?? waiting.use.expiresAtMs,
          generationBefore: recorded.generationBefore,
          generationAfter: recorded.generationAfter,
        });
      });
    }
    tenant.isWriting = false;
    if (this.tenants.get(tenantId) === tenant) this.tenants.delete(tenantId);
  }
}
