// A reseller sells one voucher of its stock to a buyer's phone (issue 13, "or by SMS to a buyer's phone"):
// the voucher is marked sold to that phone and its code goes through the notifications outbox, carrying the
// reseller's name and phone, in one transaction; counted in the reseller's sales. Tier 2 (the route's `sms`).
import {
  KiungaError,
  normaliseKenyanPhone,
  readTenantRadiusSettings,
  type SqlDatabase,
} from '@kiunga/schemas';
import { type Language, t } from '../../i18n';
import type { Auditor } from '../../kernel/audit';
import type { PageRequest } from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';
import { hasSmsSettings, queueOutboxSms, RESELLER_SALE_KIND } from '../sms-campaigns/automatic-messages';
import { recordVoucherSold } from '../webhooks/emitters';
import type { HierarchyActor } from './core';
import { visibleReseller } from './service';
import {
  findStockVoucherByCode,
  findUnsoldStockVoucher,
  insertVoucherSale,
  listVoucherSales,
  type StockVoucherRow,
  type VoucherSaleListRow,
} from './store';

/** Kenyan numbers are stored as 2547XXXXXXXX; a buyer reads the reseller's as 07XXXXXXXX. */
const KENYA_COUNTRY_PREFIX = '254';

export type SaleInput = { phone: string; language?: Language | undefined } & (
  | { planId: string; code?: undefined }
  | { code: string; planId?: undefined }
);

export interface SaleOutput {
  voucherId: string;
  code: string;
  planId: string;
  phone: string;
  soldAt: number;
  /** Whether the outbox took the SMS now (false only for a sale repeated after it was queued). */
  isSmsQueued: boolean;
}

function localPhone(phone: string): string {
  return phone.startsWith(KENYA_COUNTRY_PREFIX) ? `0${phone.slice(KENYA_COUNTRY_PREFIX.length)}` : phone;
}

/** The voucher a sale names: a code of the reseller's own stock, or its oldest unsold one of a plan. */
async function voucherToSell(
  transaction: SqlDatabase,
  resellerId: string,
  input: SaleInput,
): Promise<StockVoucherRow> {
  if (input.code !== undefined) {
    const voucher = await findStockVoucherByCode(transaction, resellerId, input.code.trim().toUpperCase());
    if (voucher === undefined) throw new KiungaError('not_found', 'No voucher with this code in your stock.');
    if (voucher.isSold || voucher.status !== 'unused') throw new KiungaError('reseller_voucher_sold');
    return voucher;
  }
  const voucher = await findUnsoldStockVoucher(transaction, resellerId, input.planId);
  if (voucher === undefined) throw new KiungaError('reseller_stock_empty');
  return voucher;
}

/**
 * Sells a stock voucher to `phone`: only the reseller itself (or the ISP's staff for it) sells its stock; a
 * sibling's or another ISP's reseller is 404. Refused (409) without SMS set up, for a sold or used code, and
 * when no unsold voucher of the plan is left; nothing is written then.
 */
export async function sellStockBySms(
  database: SqlDatabase,
  actor: HierarchyActor,
  resellerId: string,
  input: SaleInput,
  options: { soldBy: string; nowMs: number; audit: Auditor },
): Promise<SaleOutput> {
  const reseller = await visibleReseller(database, actor, resellerId);
  if (actor.kind === 'reseller' && actor.resellerId !== resellerId) {
    throw new KiungaError('forbidden', 'A reseller sells its own stock only.');
  }
  if (reseller.status !== 'active') throw new KiungaError('conflict', 'This reseller is deactivated.');
  const phone = normaliseKenyanPhone(input.phone);
  if (phone === null)
    throw new KiungaError('validation_failed', 'Enter a Kenyan phone number like 0712 345 678.');
  const output = await database.transaction(
    async (transaction): Promise<SaleOutput> => {
      if (!(await hasSmsSettings(transaction))) {
        throw new KiungaError('conflict', 'Set up SMS first (Settings › SMS) to send codes to buyers.');
      }
      const voucher = await voucherToSell(transaction, resellerId, input);
      const isRecorded = await insertVoucherSale(transaction, {
        voucherId: voucher.id,
        resellerId,
        phone,
        soldBy: options.soldBy,
        soldAt: options.nowMs,
      });
      if (!isRecorded) throw new KiungaError('reseller_voucher_sold');
      const language = input.language ?? (await readTenantRadiusSettings(transaction)).clientLanguage;
      const isSmsQueued = await queueOutboxSms(
        transaction,
        {
          dedupeKey: `${RESELLER_SALE_KIND}:${voucher.id}`,
          kind: RESELLER_SALE_KIND,
          subjectId: voucher.id,
          recipient: phone,
          body: t(language, 'sms.resellerSale', {
            code: voucher.code,
            plan: voucher.planName,
            reseller: reseller.name,
            phone: localPhone(reseller.phone),
          }),
        },
        options.nowMs,
      );
      await recordVoucherSold(transaction, voucher, { channel: 'reseller', phone }, options.nowMs);
      return {
        voucherId: voucher.id,
        code: voucher.code,
        planId: voucher.planId,
        phone,
        soldAt: options.nowMs,
        isSmsQueued,
      };
    },
    { isolation: 'serializable' },
  );
  await options.audit({
    action: 'reseller.sell_by_sms',
    target: resellerId,
    detail: { voucherId: output.voucherId, planId: output.planId, phone: output.phone },
  });
  return output;
}

export function voucherSalesOf(
  database: SqlDatabase,
  resellerId: string,
  page: PageRequest,
): Promise<Page<VoucherSaleListRow>> {
  return listVoucherSales(database, resellerId, page);
}
