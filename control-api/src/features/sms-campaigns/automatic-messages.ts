// Automatic messages besides dunning, through the notifications outbox (one row per message, sent by the
// outbox's job): the voucher code after a portal purchase, in the purchase's own transaction; the code a
// reseller sold to a buyer's phone (features/resellers/sell-by-sms.ts, in the sale's transaction); and a
// warning before a voucher or a subscription expires (a leased job, once per item and expiry). Warnings
// skip numbers that sent STOP; the code of a purchase the person just made is always sent.
import { normaliseKenyanPhone, type SqlDatabase, servedTenantIds } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { SMS_SETTING_KEY } from '../notifications/sms-settings';
import { nairobiDateTime } from '../shared/nairobi-time';
import { renderTemplate, type Segment } from './core/index';
import { campaignContext, parsedTemplateOrThrow } from './service';
import { optedOutPhones, segmentRecipients } from './store';

export const VOUCHER_CODE_KIND = 'voucher_code';
export const EXPIRY_WARNING_KIND = 'expiry_warning';
export const RESELLER_SALE_KIND = 'reseller_sale';
export const EXPIRY_WARNINGS_CRON = '*/5 * * * *';
/**
 * A voucher's warning this long before it ends: a hotspot client is usually online then and can buy the
 * next package without being cut off; the job runs every 5 minutes, so it comes 25–30 minutes before.
 */
export const VOUCHER_WARNING_BEFORE_MS = 30 * 60_000;
/** A subscription's warning three days before: time to pay by M-Pesa before service stops. */
export const SUBSCRIPTION_WARNING_BEFORE_DAYS = 3;
const SUBSCRIPTION_WARNING_SEGMENT: Segment = {
  kind: 'group',
  filters: { statuses: ['active'], expiresWithinDays: SUBSCRIPTION_WARNING_BEFORE_DAYS },
};
/** Items warned per tenant per run: a backlog drains over a few runs without one long transaction. */
const WARNINGS_PER_TENANT_PER_RUN = 500;

const SUBSCRIPTION_WARNING_TEMPLATE =
  'Hello {{name|customer}}, your {{plan}} internet ends {{expiry}}. Pay {{balance}} to paybill {{paybill|your provider}}, account {{accountNumber}}.';

/** Whether the ISP has set up its SMS account (Settings › SMS): without it no automatic message is queued. */
export async function hasSmsSettings(database: SqlDatabase): Promise<boolean> {
  return (
    (await database.get('SELECT key FROM tenant_settings WHERE key = ?', [SMS_SETTING_KEY])) !== undefined
  );
}

/** One SMS in the outbox, once per dedupe key; whether it was new. */
export async function queueOutboxSms(
  database: SqlDatabase,
  message: { dedupeKey: string; kind: string; subjectId: string; recipient: string; body: string },
  nowMs: number,
): Promise<boolean> {
  const { changes } = await database.run(
    `INSERT INTO notifications (dedupe_key, channel, kind, subscriber_id, recipient, body, status, created_at)
     VALUES (?, 'sms', ?, ?, ?, ?, 'pending', ?) ON CONFLICT (dedupe_key) DO NOTHING`,
    [message.dedupeKey, message.kind, message.subjectId, message.recipient, message.body, nowMs],
  );
  return changes > 0;
}

/**
 * In the purchase's transaction: the voucher code to the phone that paid, once per purchase, when the
 * ISP has SMS set up (the outbox sends it if the ISP's tier has SMS). The outbox row's subscriber_id
 * holds the voucher id: a hotspot buyer is no subscriber.
 */
export async function queueVoucherCodeSms(
  transaction: SqlDatabase,
  purchase: { id: string; phone: string; voucherId: string },
  nowMs: number,
): Promise<void> {
  if (!(await hasSmsSettings(transaction))) return;
  const voucher = await transaction.get<{ code: string; planName: string }>(
    `SELECT v.code, p.name AS "planName" FROM vouchers v JOIN plans p ON p.id = v.plan_id WHERE v.id = ?`,
    [purchase.voucherId],
  );
  if (voucher === undefined) return;
  await queueOutboxSms(
    transaction,
    {
      dedupeKey: `${VOUCHER_CODE_KIND}:${purchase.id}`,
      kind: VOUCHER_CODE_KIND,
      subjectId: purchase.voucherId,
      recipient: purchase.phone,
      body: `Your Wi-Fi code: ${voucher.code} (${voucher.planName}). Enter it on the hotspot login page.`,
    },
    nowMs,
  );
}

interface ExpiringVoucher {
  id: string;
  code: string;
  expiresAt: number;
  phone: string;
  planName: string;
}

/** Queues the warnings due now for one ISP; the number queued. */
export async function queueTenantExpiryWarnings(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  nowMs: number,
): Promise<number> {
  const optedOut = await optedOutPhones(database);
  const isReachable = (phone: string) => {
    const normalised = normaliseKenyanPhone(phone);
    return normalised !== null && !optedOut.has(normalised);
  };
  let queued = 0;
  const vouchers = await database.all<ExpiringVoucher>(
    `SELECT v.id, v.code, v.expires_at AS "expiresAt", pu.phone, p.name AS "planName"
       FROM vouchers v JOIN purchases pu ON pu.voucher_id = v.id JOIN plans p ON p.id = v.plan_id
      WHERE v.status = 'active' AND v.expires_at > ? AND v.expires_at <= ?
      ORDER BY v.expires_at, v.id LIMIT ?`,
    [nowMs, nowMs + VOUCHER_WARNING_BEFORE_MS, WARNINGS_PER_TENANT_PER_RUN],
  );
  for (const voucher of vouchers) {
    if (!isReachable(voucher.phone)) continue;
    const isNew = await queueOutboxSms(
      database,
      {
        dedupeKey: `${EXPIRY_WARNING_KIND}:voucher:${voucher.id}:${voucher.expiresAt}`,
        kind: EXPIRY_WARNING_KIND,
        subjectId: voucher.id,
        recipient: voucher.phone,
        body: `Your Wi-Fi code ${voucher.code} (${voucher.planName}) ends at ${nairobiDateTime(voucher.expiresAt)}. Buy your next package on the hotspot page to stay online.`,
      },
      nowMs,
    );
    if (isNew) queued += 1;
  }
  const template = parsedTemplateOrThrow(SUBSCRIPTION_WARNING_TEMPLATE);
  const context = await campaignContext(dependencies, database);
  // The same clients a campaign to "active, expires within 3 days" reaches.
  const subscribers = await segmentRecipients(database, SUBSCRIPTION_WARNING_SEGMENT, nowMs);
  for (const subscriber of subscribers) {
    if (subscriber.phone === null || !isReachable(subscriber.phone) || subscriber.expiresAtMs === null)
      continue;
    const rendered = renderTemplate(template, subscriber, context);
    if (!rendered.ok) continue;
    const isNew = await queueOutboxSms(
      database,
      {
        dedupeKey: `${EXPIRY_WARNING_KIND}:subscriber:${subscriber.subscriberId}:${subscriber.expiresAtMs}`,
        kind: EXPIRY_WARNING_KIND,
        subjectId: subscriber.subscriberId,
        recipient: subscriber.phone,
        body: rendered.text,
      },
      nowMs,
    );
    if (isNew) queued += 1;
  }
  return queued;
}

/** Every ISP with SMS (Tier 2, set up): its warnings due now. */
export async function queueExpiryWarnings(
  dependencies: ApiDependencies,
): Promise<{ queued: number; failedTenants: string[] }> {
  const result = { queued: 0, failedTenants: [] as string[] };
  for (const tenantId of await servedTenantIds(dependencies.databases.platform)) {
    try {
      if (!(await dependencies.databases.hasTenant(tenantId))) continue;
      if (!(await tenantFeatures(dependencies.databases.platform, tenantId))('sms')) continue;
      const database = dependencies.databases.forTenant(tenantId);
      if (!(await hasSmsSettings(database))) continue;
      result.queued += await queueTenantExpiryWarnings(dependencies, database, dependencies.clock.now());
    } catch (error) {
      dependencies.logger.error(
        { job: 'expiry_warnings', tenantId, err: error },
        'tenant expiry warnings failed',
      );
      result.failedTenants.push(tenantId);
    }
  }
  return result;
}
