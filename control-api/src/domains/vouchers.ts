// Vouchers of one ISP: batches of codes that copy their plan's terms, search, revoke, export.
import {
  type CreateVoucherBatchInput,
  generateVoucherCode,
  KiungaError,
  type ListVouchersFilter,
  newId,
  type TenantShard,
  tenantSchema,
  type VoucherOutput,
} from '@kiunga/schemas';
import { and, asc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Page } from '../pagination';
import { afterCursor, createdPageOf, newestFirst, type PageRequest } from './listing';
import { getPlan, planRateLimit } from './plans';

const { vouchers, voucherBatches } = tenantSchema;

/** Draws per wanted code before giving up: only a tiny code space (short length) gets near it. */
const CODE_DRAWS_PER_VOUCHER_MAX = 20;
/** Rows in one CSV export; bigger exports go batch by batch. */
export const VOUCHER_EXPORT_ROWS_MAX = 100_000;

type VoucherRow = typeof vouchers.$inferSelect;

export function toVoucherOutput(row: VoucherRow): VoucherOutput {
  return { ...row, status: row.status as VoucherOutput['status'] };
}

export interface VoucherBatchResult {
  batchId: string;
  codes: string[];
  items: VoucherOutput[];
}

/** Codes are unique per tenant (the shard's UNIQUE index); a collision is drawn again. */
export function createVoucherBatch(
  shard: TenantShard,
  input: CreateVoucherBatchInput,
  options: { nowMs: number; createdBy: string },
): VoucherBatchResult {
  const plan = getPlan(shard, input.planId);
  if (plan.kind !== 'hotspot' || plan.validitySeconds === null)
    throw new KiungaError('validation_failed', 'Vouchers are sold on hotspot plans only.');
  if (!plan.isActive)
    throw new KiungaError('conflict', 'This plan is archived; activate it to sell vouchers.');
  const batchId = newId('voucherBatch');
  const rateLimit = planRateLimit(plan);
  const insert = shard.statement(
    `INSERT OR IGNORE INTO vouchers (id, code, plan_id, batch_id, price_cents, validity_seconds, device_limit,
                                     rate_limit, data_cap_bytes, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'unused', ?)`,
  );
  const items: VoucherOutput[] = [];
  shard.sqlite.transaction(() => {
    shard.orm
      .insert(voucherBatches)
      .values({
        id: batchId,
        planId: plan.id,
        count: input.count,
        prefix: input.prefix,
        createdBy: options.createdBy,
        createdAt: options.nowMs,
      })
      .run();
    let drawsLeft = input.count * CODE_DRAWS_PER_VOUCHER_MAX;
    while (items.length < input.count) {
      if (drawsLeft-- <= 0)
        throw new KiungaError(
          'conflict',
          'Could not find enough unused codes of this length and prefix; use longer codes.',
        );
      const item: VoucherOutput = {
        id: newId('voucher'),
        code: generateVoucherCode({ length: input.length, prefix: input.prefix }),
        planId: plan.id,
        batchId,
        priceCents: plan.priceCents,
        validitySeconds: plan.validitySeconds!,
        deviceLimit: plan.deviceLimit,
        rateLimit,
        dataCapBytes: plan.dataCapBytes,
        status: 'unused',
        firstUsedAt: null,
        expiresAt: null,
        createdAt: options.nowMs,
      };
      const result = insert.run(
        item.id,
        item.code,
        item.planId,
        batchId,
        item.priceCents,
        item.validitySeconds,
        item.deviceLimit,
        item.rateLimit,
        item.dataCapBytes,
        options.nowMs,
      );
      if (result.changes === 1) items.push(item);
    }
  })();
  return { batchId, codes: items.map((item) => item.code), items };
}

function voucherConditions(filter: ListVouchersFilter): Array<SQL | undefined> {
  // A code-prefix search as a range keeps to the UNIQUE(code) index (LIKE would scan).
  const prefix = filter.q ? filter.q.toUpperCase() : undefined;
  return [
    prefix ? and(gte(vouchers.code, prefix), lt(vouchers.code, `${prefix}\uffff`)) : undefined,
    filter.status ? eq(vouchers.status, filter.status) : undefined,
    filter.planId ? eq(vouchers.planId, filter.planId) : undefined,
    filter.batchId ? eq(vouchers.batchId, filter.batchId) : undefined,
  ];
}

export function listVouchers(
  shard: TenantShard,
  filter: ListVouchersFilter,
  page: PageRequest,
): Page<VoucherOutput> {
  const rows = shard.orm
    .select()
    .from(vouchers)
    .where(and(...voucherConditions(filter), afterCursor(vouchers, page.cursor)))
    .orderBy(...newestFirst(vouchers))
    .limit(page.limit + 1)
    .all();
  return createdPageOf(rows, page.limit, toVoucherOutput);
}

export function getVoucher(shard: TenantShard, voucherId: string): VoucherOutput {
  const row = shard.orm.select().from(vouchers).where(eq(vouchers.id, voucherId)).get();
  if (!row) throw new KiungaError('not_found', 'No such voucher.');
  return toVoucherOutput(row);
}

/** Marks the voucher revoked (the AAA server rejects it from now on); the caller disconnects it. */
export function revokeVoucher(shard: TenantShard, voucherId: string): VoucherOutput {
  const voucher = getVoucher(shard, voucherId);
  if (voucher.status !== 'revoked')
    shard.orm.update(vouchers).set({ status: 'revoked' }).where(eq(vouchers.id, voucherId)).run();
  return { ...voucher, status: 'revoked' };
}

/** Vouchers for export or printing, in code order within a batch; bounded. */
export function vouchersForExport(
  shard: TenantShard,
  filter: Omit<ListVouchersFilter, 'q'>,
  rowsMax = VOUCHER_EXPORT_ROWS_MAX,
): VoucherOutput[] {
  return shard.orm
    .select()
    .from(vouchers)
    .where(and(...voucherConditions(filter)))
    .orderBy(asc(vouchers.createdAt), asc(vouchers.code))
    .limit(rowsMax)
    .all()
    .map(toVoucherOutput);
}

export function findVoucherBatch(shard: TenantShard, batchId: string) {
  const batch = shard.orm.select().from(voucherBatches).where(eq(voucherBatches.id, batchId)).get();
  if (!batch) throw new KiungaError('not_found', 'No such voucher batch.');
  return batch;
}

const CSV_COLUMNS = [
  'code',
  'status',
  'planId',
  'batchId',
  'priceCents',
  'validitySeconds',
  'deviceLimit',
  'rateLimit',
  'firstUsedAt',
  'expiresAt',
  'createdAt',
] as const;

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV; times as ISO 8601 so a spreadsheet reads them. */
export function vouchersToCsv(items: VoucherOutput[]): string {
  const isoOrEmpty = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of items) {
    const row = {
      ...item,
      firstUsedAt: isoOrEmpty(item.firstUsedAt),
      expiresAt: isoOrEmpty(item.expiresAt),
      createdAt: isoOrEmpty(item.createdAt),
    };
    lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
