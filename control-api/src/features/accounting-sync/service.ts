// The accounting sync for one ISP: connect QuickBooks Online or Xero (OAuth 2.0 code flow, tokens
// sealed in the shard), run a sync of the ledger since the connection's start through the vendor
// port (idempotent by Kiunga's ids: a rerun creates nothing twice), the sync log, and the CSV export.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { localDateOf, localMidnightMs } from '../../billing/core/calendar';
import {
  AccessTokenKeeper,
  AccountingApiError,
  MemoryTokenStore,
  type OAuthApp,
} from '../../integrations/accounting-common';
import { parseQuickBooksRedirect, QuickBooksClient, quickBooksOAuthApp } from '../../integrations/quickbooks';
import { XeroClient, xeroOAuthApp } from '../../integrations/xero';
import type { ApiDependencies } from '../../kernel/dependencies';
import { type AccountingVendorConfig, accountingRedirectUri } from './config';
import {
  type AccountingVendor,
  invoicesCsv,
  ledgerCsv,
  paymentsCsv,
  planSync,
  runSyncPlan,
  type SyncPort,
  type SyncRunReport,
} from './core';
import { QuickBooksSyncPort } from './quickbooks-port';
import {
  type ConnectionRow,
  claimRun,
  connectionTokenStore,
  deleteConnection,
  finishRun,
  listConnections,
  markReconnectNeeded,
  readConnection,
  readLedgerFacts,
  saveConnection,
  saveOauthState,
  sqlSyncLog,
  takeOauthState,
} from './store';
import { XeroSyncPort } from './xero-port';

/** A connect must come back within this (the ISP signs in at the vendor and picks a company). */
const OAUTH_STATE_LIFETIME_MS = 15 * 60_000;
/** Each vendor call; both answer in well under a second when healthy. */
const VENDOR_TIMEOUT_MS = 20_000;
/** A run claimed longer ago than this is taken to have died with its node. */
const RUN_STALE_AFTER_MS = 60 * 60_000;
/** 24 random bytes: 192 bits in the state (RFC 6749 §10.12 asks for a non-guessable value). */
const STATE_RANDOM_BYTES = 24;

export const quickBooksSettingsSchema = z.object({
  /** The QuickBooks Item (service) every invoice line uses. */
  itemId: z.string().trim().min(1).max(50),
  /** Accounts Receivable account id (refund journal entries debit it). */
  receivableAccountId: z.string().trim().min(1).max(50),
  /** The bank or M-Pesa account refunds are paid out of. */
  refundFromAccountId: z.string().trim().min(1).max(50),
  /** Where payments are deposited; null: QuickBooks' Undeposited Funds. */
  depositToAccountId: z.string().trim().min(1).max(50).nullable().default(null),
});

export const xeroSettingsSchema = z.object({
  /** Revenue account code of invoice lines (e.g. "200" Sales). */
  revenueAccountCode: z.string().trim().min(1).max(10),
  /** Bank account code payments go to and refunds come from (e.g. "090"). */
  bankAccountCode: z.string().trim().min(1).max(10),
});

export const connectBodySchemas = {
  quickbooks: z.object({ settings: quickBooksSettingsSchema, syncFrom: z.iso.date().optional() }),
  xero: z.object({ settings: xeroSettingsSchema, syncFrom: z.iso.date().optional() }),
} as const;

export type ConnectBody = z.infer<(typeof connectBodySchemas)[AccountingVendor]>;

interface StoredConnectRequest {
  settings: unknown;
  syncFromMs: number;
}

function vendorConfig(dependencies: ApiDependencies, vendor: AccountingVendor): AccountingVendorConfig {
  const config = dependencies.accounting?.[vendor] ?? null;
  if (config === null) throw new KiungaError('accounting_not_configured');
  return config;
}

function oauthAppOf(dependencies: ApiDependencies, vendor: AccountingVendor): OAuthApp {
  const config = vendorConfig(dependencies, vendor);
  const options = {
    authorizeUrl: config.authorizeUrl,
    tokenUrl: config.tokenUrl,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: accountingRedirectUri(dependencies.publicUrl, vendor),
    clock: dependencies.clock,
    timeoutMs: VENDOR_TIMEOUT_MS,
  };
  return vendor === 'quickbooks' ? quickBooksOAuthApp(options) : xeroOAuthApp(options);
}

/** 00:00 in Nairobi of the given YYYY-MM-DD, or of the first day of the current month. */
function syncStartOf(dependencies: ApiDependencies, date: string | undefined): number {
  if (date !== undefined) {
    const [year, month, day] = date.split('-').map(Number) as [number, number, number];
    return localMidnightMs({ year, month, day });
  }
  return localMidnightMs({ ...localDateOf(dependencies.clock.now()), day: 1 });
}

/** Begins a connect: the state names the tenant (the vendor's redirect carries no session). */
export async function startConnect(
  dependencies: ApiDependencies,
  tenantId: string,
  vendor: AccountingVendor,
  body: ConnectBody,
): Promise<{ authorizeUrl: string }> {
  const app = oauthAppOf(dependencies, vendor);
  const state = `${tenantId}.${randomBytes(STATE_RANDOM_BYTES).toString('base64url')}`;
  const nowMs = dependencies.clock.now();
  const request: StoredConnectRequest = {
    settings: body.settings,
    syncFromMs: syncStartOf(dependencies, body.syncFrom),
  };
  await saveOauthState(dependencies.databases.forTenant(tenantId), {
    state,
    vendor,
    request,
    expiresAtMs: nowMs + OAUTH_STATE_LIFETIME_MS,
    nowMs,
  });
  return { authorizeUrl: app.authorizeUrl(state) };
}

/** The tenant a state names, or null when it names none (a forged or truncated redirect). */
function tenantOfState(state: string): string | null {
  const dot = state.indexOf('.');
  return dot > 0 ? state.slice(0, dot) : null;
}

export type ConnectOutcome =
  | { readonly ok: true; readonly tenantId: string }
  | { readonly ok: false; readonly tenantId: string | null; readonly message: string };

/** The vendor's redirect back: check the state, exchange the code, find the company, store sealed. */
export async function completeConnect(
  dependencies: ApiDependencies,
  vendor: AccountingVendor,
  query: URLSearchParams,
): Promise<ConnectOutcome> {
  const state = query.get('state') ?? '';
  const tenantId = tenantOfState(state);
  if (tenantId === null) return { ok: false, tenantId: null, message: 'The link back has no valid state.' };
  let database: SqlDatabase;
  try {
    database = dependencies.databases.forTenant(tenantId);
  } catch {
    return { ok: false, tenantId: null, message: 'The link back has no valid state.' };
  }
  const request = (await takeOauthState(
    database,
    state,
    vendor,
    dependencies.clock.now(),
  )) as StoredConnectRequest | null;
  if (request === null)
    return {
      ok: false,
      tenantId,
      message: 'This connect link has expired or was used already. Start again.',
    };
  const vendorError = query.get('error');
  if (vendorError)
    return { ok: false, tenantId, message: `The connection was not allowed (${vendorError}).` };
  const app = oauthAppOf(dependencies, vendor);
  try {
    let externalId: string;
    let code: string;
    if (vendor === 'quickbooks') {
      const redirect = parseQuickBooksRedirect(query);
      if (redirect === null || 'error' in redirect)
        return { ok: false, tenantId, message: 'QuickBooks sent back no company.' };
      code = redirect.code;
      externalId = redirect.realmId;
    } else {
      code = query.get('code') ?? '';
      if (code === '') return { ok: false, tenantId, message: 'Xero sent back no code.' };
      externalId = '';
    }
    const tokens = await app.exchangeCode(code);
    if (vendor === 'xero') {
      // GET /connections needs no organisation yet: the new tokens, held in memory until stored below.
      const probe = new XeroClient({
        baseUrl: vendorConfig(dependencies, vendor).baseUrl,
        tenantId: 'unknown',
        tokens: new AccessTokenKeeper(app, new MemoryTokenStore(tokens), dependencies.clock),
        clock: dependencies.clock,
        timeoutMs: VENDOR_TIMEOUT_MS,
      });
      const organisation = (await probe.listConnections()).find((item) => item.tenantType === 'ORGANISATION');
      if (!organisation)
        return { ok: false, tenantId, message: 'The Xero sign-in gave access to no organisation.' };
      externalId = organisation.tenantId;
    }
    await saveConnection(database, dependencies.secretBox, {
      vendor,
      externalId,
      tokens,
      settings: request.settings,
      syncFrom: request.syncFromMs,
      nowMs: dependencies.clock.now(),
    });
    return { ok: true, tenantId };
  } catch (error) {
    if (error instanceof AccountingApiError)
      return {
        ok: false,
        tenantId,
        message: `The accounting package refused the connection: ${error.message}`,
      };
    throw error;
  }
}

function portOf(dependencies: ApiDependencies, tenantId: string, connection: ConnectionRow): SyncPort {
  const database = dependencies.databases.forTenant(tenantId);
  const vendor = connection.vendor;
  const tokens = new AccessTokenKeeper(
    oauthAppOf(dependencies, vendor),
    connectionTokenStore(database, dependencies.secretBox, vendor, dependencies.clock),
    dependencies.clock,
  );
  const common = {
    baseUrl: vendorConfig(dependencies, vendor).baseUrl,
    tokens,
    clock: dependencies.clock,
    timeoutMs: VENDOR_TIMEOUT_MS,
  };
  if (vendor === 'quickbooks') {
    const settings = quickBooksSettingsSchema.parse(JSON.parse(connection.settings));
    return new QuickBooksSyncPort(
      new QuickBooksClient({ ...common, realmId: connection.externalId }),
      settings,
    );
  }
  const settings = xeroSettingsSchema.parse(JSON.parse(connection.settings));
  return new XeroSyncPort(new XeroClient({ ...common, tenantId: connection.externalId }), settings);
}

/**
 * Takes the vendor's connection for one run (no other run on any node holds it) and returns the run
 * to execute, or null when another run holds it. A run syncs the whole ledger since the connection's
 * start, planned again; operations logged ok are skipped without a vendor call. A refused token marks
 * the connection reconnect_needed (scheduled runs stop until the ISP connects again).
 */
export async function claimSync(
  dependencies: ApiDependencies,
  tenantId: string,
  vendor: AccountingVendor,
  wait: (durationMs: number) => Promise<void> = (durationMs) => sleep(durationMs),
): Promise<(() => Promise<SyncRunReport>) | null> {
  const database = dependencies.databases.forTenant(tenantId);
  const connection = await readConnection(database, vendor);
  if (!connection) throw new KiungaError('not_found', `No ${vendorName(vendor)} connection.`);
  if (connection.status === 'reconnect_needed') throw new KiungaError('accounting_reconnect_required');
  const claimedAtMs = dependencies.clock.now();
  if (!(await claimRun(database, vendor, claimedAtMs, claimedAtMs - RUN_STALE_AFTER_MS))) return null;
  return async () => {
    let report: SyncRunReport | null = null;
    try {
      // Up to and including this instant: a payment recorded the same millisecond is in.
      const facts = await readLedgerFacts(
        database,
        tenantId,
        connection.syncFrom,
        dependencies.clock.now() + 1,
      );
      report = await runSyncPlan({
        tenantId,
        plan: planSync(vendor, facts),
        port: portOf(dependencies, tenantId, connection),
        log: sqlSyncLog(database, vendor),
        clock: dependencies.clock,
        wait,
      });
      if (report.stoppedBecause === 'reconnect_needed')
        await markReconnectNeeded(database, vendor, dependencies.clock.now());
      return report;
    } finally {
      const recorded = report ?? { error: 'The run stopped on an error; it is tried again at the next run.' };
      await finishRun(database, vendor, recorded, dependencies.clock.now());
    }
  };
}

/** One run now, or null when another run holds the connection (the nightly job, tests). */
export async function runSync(
  dependencies: ApiDependencies,
  tenantId: string,
  vendor: AccountingVendor,
  wait?: (durationMs: number) => Promise<void>,
): Promise<SyncRunReport | null> {
  const execute = await claimSync(dependencies, tenantId, vendor, wait);
  return execute === null ? null : execute();
}

export function vendorName(vendor: AccountingVendor): string {
  return vendor === 'quickbooks' ? 'QuickBooks Online' : 'Xero';
}

export interface ConnectionView {
  vendor: AccountingVendor;
  name: string;
  isOffered: boolean;
  connection: {
    status: ConnectionRow['status'];
    externalId: string;
    connectedAt: string;
    syncFrom: string;
    settings: unknown;
    isRunning: boolean;
    lastRunAt: string | null;
    lastRunReport: unknown;
  } | null;
}

/** Both vendors: whether the platform offers each, and the ISP's connection (never its tokens). */
export async function connectionViews(
  dependencies: ApiDependencies,
  tenantId: string,
): Promise<ConnectionView[]> {
  const rows = await listConnections(dependencies.databases.forTenant(tenantId));
  return (['quickbooks', 'xero'] as const).map((vendor) => {
    const row = rows.find((item) => item.vendor === vendor);
    return {
      vendor,
      name: vendorName(vendor),
      isOffered: (dependencies.accounting?.[vendor] ?? null) !== null,
      connection: row
        ? {
            status: row.status,
            externalId: row.externalId,
            connectedAt: new Date(row.connectedAt).toISOString(),
            syncFrom: new Date(row.syncFrom).toISOString(),
            settings: JSON.parse(row.settings) as unknown,
            isRunning: row.runClaimedAt !== null,
            lastRunAt: row.lastRunAt === null ? null : new Date(row.lastRunAt).toISOString(),
            lastRunReport: row.lastRunReport === null ? null : (JSON.parse(row.lastRunReport) as unknown),
          }
        : null,
    };
  });
}

export async function disconnect(dependencies: ApiDependencies, tenantId: string, vendor: AccountingVendor) {
  if (!(await deleteConnection(dependencies.databases.forTenant(tenantId), vendor)))
    throw new KiungaError('not_found', `No ${vendorName(vendor)} connection.`);
}

export const EXPORT_KINDS = ['ledger', 'invoices', 'payments'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** The CSV of a period in the layout the folder README documents. */
export async function exportCsv(
  database: SqlDatabase,
  kind: ExportKind,
  period: { startMs: number; endMs: number },
): Promise<string> {
  const range = [period.startMs, period.endMs];
  if (kind === 'ledger') {
    const entries = await database.all<{
      transferId: string;
      atMs: number;
      kind: string;
      debitAccount: string;
      creditAccount: string;
      amountCents: number;
      reference: string;
      invoiceId: string | null;
    }>(
      `SELECT transfer_id AS "transferId", created_at AS "atMs", kind, debit_account AS "debitAccount",
              credit_account AS "creditAccount", amount_cents AS "amountCents", COALESCE(reference, '') AS reference,
              invoice_id AS "invoiceId"
         FROM ledger_entries WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id`,
      range,
    );
    return ledgerCsv(entries, period);
  }
  if (kind === 'invoices') {
    const rows = await database.all<{
      id: string;
      number: string;
      subscriberId: string;
      accountNumber: string;
      issuedAtMs: number;
      dueAtMs: number;
      periodStartMs: number;
      periodEndMs: number;
      totalCents: number;
      status: string;
    }>(
      `SELECT id, number, subscriber_id AS "subscriberId", account_number AS "accountNumber", issued_at AS "issuedAtMs",
              due_at AS "dueAtMs", period_start AS "periodStartMs", period_end AS "periodEndMs",
              total_cents AS "totalCents", status
         FROM invoices WHERE issued_at >= ? AND issued_at < ? ORDER BY issued_at, id`,
      range,
    );
    return invoicesCsv(rows, period);
  }
  const rows = await database.all<{
    id: string;
    receivedAtMs: number;
    provider: string;
    providerTransactionId: string;
    accountReference: string | null;
    phone: string | null;
    amountCents: number;
    status: string;
    matchedKind: string | null;
    matchedId: string | null;
  }>(
    `SELECT id, received_at AS "receivedAtMs", provider, provider_transaction_id AS "providerTransactionId",
            account_reference AS "accountReference", phone, amount_cents AS "amountCents", status,
            matched_kind AS "matchedKind", matched_id AS "matchedId"
       FROM payments WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id`,
    range,
  );
  return paymentsCsv(rows, period);
}
