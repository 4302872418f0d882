// Vouchers of one ISP: batches of codes that copy their plan's terms, search, revoke, export.
import {
  type AaaControl,
  type CreateVoucherBatchInput,
  columnsOf,
  generateVoucherCode,
  insertOf,
  KiungaError,
  type ListVouchersFilter,
  newId,
  type SqlDatabase,
  tenantSchema,
  type VoucherOutput,
} from '@kiunga/schemas';
import type { Auditor } from '../../kernel/audit';
import {
  afterCursor,
  createdPageOf,
  equals,
  newestFirst,
  type PageRequest,
  type SqlCondition,
  whereAll,
} from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import { readBranding, readTenantProfile } from '../branding/service';
import { getPlan, planRateLimit } from '../plans/service';
import { type CoaReport, disconnectSubjectSessions } from '../sessions/service';
import type { VoucherSheetInput } from './voucher-sheet';

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

const INSERT_VOUCHER_SQL = `INSERT INTO vouchers (id, code, plan_id, batch_id, price_cents, validity_seconds,
                                                   device_limit, rate_limit, data_cap_bytes, status, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'unused', ?) ON CONFLICT (code) DO NOTHING`;

/**
 * Codes are unique per tenant (UNIQUE(code)); a collision is drawn again. In one transaction (a
 * savepoint inside the caller's, when it is given a transaction).
 */
export async function createVoucherBatch(
  database: SqlDatabase,
  input: CreateVoucherBatchInput,
  options: { nowMs: number; createdBy: string },
): Promise<VoucherBatchResult> {
  const plan = await getPlan(database, input.planId);
  if (plan.kind !== 'hotspot' || plan.validitySeconds === null)
    throw new KiungaError('validation_failed', 'Vouchers are sold on hotspot plans only.');
  if (!plan.isActive)
    throw new KiungaError('conflict', 'This plan is archived; activate it to sell vouchers.');
  const batchId = newId('voucherBatch');
  const rateLimit = planRateLimit(plan);
  const items: VoucherOutput[] = [];
  await database.transaction(async (transaction) => {
    const batch = insertOf(voucherBatches, {
      id: batchId,
      planId: plan.id,
      count: input.count,
      prefix: input.prefix,
      createdBy: options.createdBy,
      createdAt: options.nowMs,
    });
    await transaction.run(batch.sql, batch.params);
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
      const result = await transaction.run(INSERT_VOUCHER_SQL, [
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
      ]);
      if (result.changes === 1) items.push(item);
    }
  });
  return { batchId, codes: items.map((item) => item.code), items };
}

function voucherConditions(filter: ListVouchersFilter): Array<SqlCondition | undefined> {
  // A code-prefix search as a range keeps to the UNIQUE(code) index (LIKE would scan).
  const prefix = filter.q ? filter.q.toUpperCase() : undefined;
  return [
    prefix ? { sql: 'code >= ? AND code < ?', params: [prefix, `${prefix}\uffff`] } : undefined,
    equals('status', filter.status || undefined),
    equals('plan_id', filter.planId || undefined),
    equals('batch_id', filter.batchId || undefined),
  ];
}

/** A batch staff asked for (not one M-Pesa sold): created, then audited as theirs. */
export async function createStaffVoucherBatch(
  database: SqlDatabase,
  input: CreateVoucherBatchInput,
  options: { nowMs: number; createdBy: string; audit: Auditor },
): Promise<VoucherBatchResult> {
  const batch = await createVoucherBatch(database, input, options);
  await options.audit({
    action: 'voucher_batch.create',
    target: batch.batchId,
    detail: { planId: input.planId, count: input.count, length: input.length, prefix: input.prefix },
  });
  return batch;
}

export async function listVouchers(
  database: SqlDatabase,
  filter: ListVouchersFilter,
  page: PageRequest,
): Promise<Page<VoucherOutput>> {
  const where = whereAll([...voucherConditions(filter), afterCursor(page.cursor)]);
  const rows = await database.all<VoucherRow>(
    `SELECT ${columnsOf(vouchers)} FROM vouchers${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rows, page.limit, toVoucherOutput);
}

export async function getVoucher(database: SqlDatabase, voucherId: string): Promise<VoucherOutput> {
  const row = await database.get<VoucherRow>(`SELECT ${columnsOf(vouchers)} FROM vouchers WHERE id = ?`, [
    voucherId,
  ]);
  if (!row) throw new KiungaError('not_found', 'No such voucher.');
  return toVoucherOutput(row);
}

/** Marks the voucher revoked (the AAA server rejects it from now on); the caller disconnects it. */
export async function revokeVoucher(database: SqlDatabase, voucherId: string): Promise<VoucherOutput> {
  const voucher = await getVoucher(database, voucherId);
  if (voucher.status !== 'revoked')
    await database.run(`UPDATE vouchers SET status = 'revoked' WHERE id = ?`, [voucherId]);
  return { ...voucher, status: 'revoked' };
}

/** Revokes a voucher and disconnects its live sessions: the AAA server refuses it from now on. */
export async function revokeVoucherAndDisconnect(
  database: SqlDatabase,
  aaa: AaaControl,
  tenantId: string,
  voucherId: string,
  audit: Auditor,
): Promise<VoucherOutput & { disconnected: CoaReport }> {
  const voucher = await revokeVoucher(database, voucherId);
  const disconnected = await disconnectSubjectSessions(aaa, tenantId, 'voucher', new Set([voucher.id]));
  await audit({ action: 'voucher.revoke', target: voucher.id, detail: { disconnected } });
  return { ...voucher, disconnected };
}

/** What a batch's print sheet shows: the ISP's name (as branded), the plan's name and the codes. */
export async function voucherSheetOf(
  database: SqlDatabase,
  platform: SqlDatabase,
  tenantId: string,
  batchId: string,
): Promise<VoucherSheetInput> {
  const batch = await findVoucherBatch(database, batchId);
  const plan = await getPlan(database, batch.planId);
  const tenant = await readTenantProfile(platform, tenantId);
  return {
    ispName: (await readBranding(database)).displayName ?? tenant.name,
    planName: plan.name,
    vouchers: await vouchersForExport(database, { batchId }),
  };
}

/** Vouchers for export or printing, in code order within a batch; bounded. */
export async function vouchersForExport(
  database: SqlDatabase,
  filter: Omit<ListVouchersFilter, 'q'>,
  rowsMax = VOUCHER_EXPORT_ROWS_MAX,
): Promise<VoucherOutput[]> {
  const where = whereAll(voucherConditions(filter));
  const rows = await database.all<VoucherRow>(
    `SELECT ${columnsOf(vouchers)} FROM vouchers${where.sql} ORDER BY created_at, code LIMIT ?`,
    [...where.params, rowsMax],
  );
  return rows.map(toVoucherOutput);
}

/** The CSV export of a filter and its file name (named after the batch, which must exist, when given). */
export async function voucherCsvExport(
  database: SqlDatabase,
  filter: Omit<ListVouchersFilter, 'q'>,
): Promise<{ fileName: string; csv: string }> {
  if (filter.batchId) await findVoucherBatch(database, filter.batchId);
  return {
    fileName: filter.batchId ? `vouchers-${filter.batchId}.csv` : 'vouchers.csv',
    csv: vouchersToCsv(await vouchersForExport(database, filter)),
  };
}

async function findVoucherBatch(
  database: SqlDatabase,
  batchId: string,
): Promise<typeof voucherBatches.$inferSelect> {
  const batch = await database.get<typeof voucherBatches.$inferSelect>(
    `SELECT ${columnsOf(voucherBatches)} FROM voucher_batches WHERE id = ?`,
    [batchId],
  );
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
function vouchersToCsv(items: VoucherOutput[]): string {
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
