// /api/v1/resellers and /api/v1/commission-rules (issue 13's contract): resellers in a hierarchy, their
// top-ups, stock, commissions, payouts and statements. A reseller's own token reaches its subtree only.
import { KiungaError, pageResponseSchema, type SqlDatabase } from '@kiunga/schemas';
import { z } from 'zod';
import { emailSchema, newPasswordSchema } from '../../identity/passwords';
import { auditorOf, sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import type { PageRequest } from '../../kernel/listing';
import { type Page, pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { localInstantSchema } from '../../kernel/time-range';
import { nairobiMonthContaining } from '../shared/nairobi-time';
import { voucherSheetResponse } from '../vouchers/voucher-sheet';
import {
  commissionRuleInputSchema,
  payoutInputSchema,
  resellerDepthSettingSchema,
  STOCK_PRICING_MODES,
  stockPurchaseInputSchema,
  topUpInputSchema,
} from './core';
import { sellStockBySms, voucherSalesOf } from './sell-by-sms';
import {
  buyStock,
  cashMovementsOf,
  commissionsOf,
  createReseller,
  getReseller,
  hierarchyActorOf,
  listCommissionRules,
  listResellers,
  moveReseller,
  readResellerSettings,
  recordPayout,
  recordTopUp,
  resellerSheetOf,
  saveResellerSettings,
  setCommissionRule,
  stockPurchasesOf,
  updateReseller,
  visibleReseller,
} from './service';
import { renderStatementCsv, renderStatementPdf, statementOf } from './statement-export';
import { STK_TOP_UP_SHILLINGS_MAX, startStkTopUp, stkTopUpView } from './stk-top-up';

/** Names and ids: what a shop sign or an id holds, with room to spare. */
const NAME_LENGTH_MAX = 120;
const ID_LENGTH_MAX = 64;
/** Phone numbers as typed: "+254 712 345 678" and a little more. */
const PHONE_LENGTH_MAX = 20;

const resellerOutputSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string(),
  parentId: z.string().nullable(),
  depth: z.number().int(),
  priceMode: z.enum(STOCK_PRICING_MODES).nullable(),
  status: z.enum(['active', 'deactivated']),
  walletCents: z.number().int(),
  commissionOwedCents: z.number().int(),
  stockSoldCount: z.number().int(),
  stockUnsoldCount: z.number().int(),
  createdAt: z.number().int(),
});

const createResellerSchema = z
  .object({
    name: z.string().trim().min(1).max(NAME_LENGTH_MAX),
    email: emailSchema,
    phone: z.string().trim().min(1).max(PHONE_LENGTH_MAX),
    password: newPasswordSchema.optional(),
    parentId: z.string().max(ID_LENGTH_MAX).nullable().optional(),
    priceMode: z.enum(STOCK_PRICING_MODES).optional(),
  })
  .strict();

const updateResellerSchema = z
  .object({
    name: z.string().trim().min(1).max(NAME_LENGTH_MAX).optional(),
    phone: z.string().trim().min(1).max(PHONE_LENGTH_MAX).optional(),
    status: z.enum(['active', 'deactivated']).optional(),
  })
  .strict();

const cashMovementOutputSchema = z.object({
  id: z.string(),
  resellerId: z.string(),
  amountCents: z.number().int(),
  method: z.enum(['cash', 'mpesa', 'bank']),
  reference: z.string(),
  createdBy: z.string(),
  createdAt: z.number().int(),
});

const stockPurchaseRowSchema = z.object({
  id: z.string(),
  resellerId: z.string(),
  planId: z.string(),
  batchId: z.string(),
  count: z.number().int(),
  unitCostCents: z.number().int(),
  costCents: z.number().int(),
  createdBy: z.string(),
  createdAt: z.number().int(),
});

const commissionRuleOutputSchema = z.object({
  id: z.string(),
  planId: z.string().nullable(),
  level: z.number().int(),
  percentBasisPoints: z.number().int().nullable(),
  fixedCents: z.number().int().nullable(),
});

/** `from`/`to` (to exclusive) as instants or Nairobi dates; without them the current Nairobi month. */
const periodQuerySchema = z.object({
  from: localInstantSchema.optional(),
  to: localInstantSchema.optional(),
});

function periodOf(query: { from?: number | undefined; to?: number | undefined }, nowMs: number) {
  const month = nairobiMonthContaining(nowMs);
  return { fromMs: query.from ?? month.startMs, toMs: query.to ?? month.endMs };
}

const idParams = z.object({ id: z.string().max(ID_LENGTH_MAX) });

const resellers = routeGroup({ basePath: '/api/v1/resellers', tag: 'resellers' });

/** `GET /<id>/<things>`: one page of a reseller's rows, once the caller may see the reseller. */
function declareResellerList<Item extends z.ZodType>(
  path: string,
  summary: string,
  itemSchema: Item,
  list: (database: SqlDatabase, resellerId: string, page: PageRequest) => Promise<Page<z.output<Item>>>,
): void {
  resellers.declare({
    method: 'get',
    path,
    summary,
    permission: 'resellers.read',
    params: idParams,
    query: pageQuerySchema,
    response: pageResponseSchema(itemSchema),
    handler: async ({ params, query, dependencies, respond }, context) => {
      const database = tenantDatabaseOf(context, dependencies);
      await visibleReseller(database, hierarchyActorOf(context.get('principal')), params.id);
      return respond(await list(database, params.id, query));
    },
  });
}

resellers.declare({
  method: 'post',
  path: '/',
  summary:
    'Create a reseller and its sign-in account (the ISP at any level; a reseller under itself, within the depth)',
  permission: 'resellers.write',
  body: createResellerSchema,
  response: resellerOutputSchema.extend({ temporaryPassword: z.string().optional() }),
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createReseller(
        dependencies,
        tenantDatabaseOf(context, dependencies),
        tenantIdOf(context),
        hierarchyActorOf(context.get('principal')),
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

resellers.declare({
  method: 'get',
  path: '/',
  summary: 'List resellers the caller may see (parentId = direct sub-resellers of one)',
  permission: 'resellers.read',
  query: pageQuerySchema.extend({ parentId: z.string().max(ID_LENGTH_MAX).optional() }),
  response: pageResponseSchema(resellerOutputSchema),
  handler: async ({ query: { limit, cursor, parentId }, dependencies, respond }, context) =>
    respond(
      await listResellers(
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        { parentId },
        { limit, cursor },
      ),
    ),
});

resellers.declare({
  method: 'get',
  path: '/:id',
  summary: 'Get a reseller with its wallet and the commission owed to it',
  permission: 'resellers.read',
  params: idParams,
  response: resellerOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(
      await getReseller(
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        params.id,
      ),
    ),
});

resellers.declare({
  method: 'patch',
  path: '/:id',
  summary: 'Change a reseller’s name or phone, or deactivate it (its sign-in too)',
  permission: 'resellers.write',
  params: idParams,
  body: updateResellerSchema,
  response: resellerOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await updateReseller(
        dependencies,
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        params.id,
        body,
        auditorOf(dependencies, context),
      ),
    ),
});

resellers.declare({
  method: 'post',
  path: '/:id/move',
  summary:
    'Move a reseller with its sub-resellers under another parent (null: the top), by the ISP; 409 for a cycle or a tree too deep',
  permission: 'resellers.write',
  params: idParams,
  body: z.object({ parentId: z.string().max(ID_LENGTH_MAX).nullable() }).strict(),
  response: resellerOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await moveReseller(
        dependencies,
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        params.id,
        body.parentId,
        auditorOf(dependencies, context),
      ),
    ),
});

resellers.declare({
  method: 'post',
  path: '/:id/topups',
  summary: 'Record cash received from a reseller into its wallet (idempotent by reference)',
  permission: 'resellers.money',
  params: idParams,
  body: topUpInputSchema,
  response: cashMovementOutputSchema.extend({ walletCents: z.number().int() }),
  responseStatus: 201,
  handler: async ({ params, body, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const principal = context.get('principal');
    await visibleReseller(database, hierarchyActorOf(principal), params.id);
    const topUp = await recordTopUp(
      database,
      params.id,
      { ...body, method: 'cash' },
      { createdBy: principal.id, nowMs: dependencies.clock.now() },
    );
    await auditorOf(
      dependencies,
      context,
    )({
      action: 'reseller.topup',
      target: params.id,
      detail: { topUpId: topUp.id, amountCents: topUp.amountCents, reference: topUp.reference },
    });
    return respond(topUp);
  },
});

declareResellerList(
  '/:id/topups',
  'A reseller’s top-ups, newest first',
  cashMovementOutputSchema,
  (database, id, page) => cashMovementsOf(database, 'topups', id, page),
);

resellers.declare({
  method: 'post',
  path: '/:id/stock',
  summary: 'Buy voucher stock from the reseller’s wallet: the codes and what they cost (402 when short)',
  permission: 'resellers.write',
  feature: 'hotspot',
  params: idParams,
  body: stockPurchaseInputSchema,
  response: z.object({
    id: z.string(),
    batchId: z.string(),
    planId: z.string(),
    count: z.number().int(),
    codes: z.array(z.string()),
    unitCostCents: z.number().int(),
    costCents: z.number().int(),
    walletCents: z.number().int(),
  }),
  responseStatus: 201,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await buyStock(
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        params.id,
        body,
        {
          createdBy: context.get('principal').id,
          nowMs: dependencies.clock.now(),
          audit: auditorOf(dependencies, context),
        },
      ),
    ),
});

declareResellerList(
  '/:id/stock',
  'A reseller’s stock purchases (voucher batches), newest first',
  stockPurchaseRowSchema,
  stockPurchasesOf,
);

/** A voucher code as typed: 8 characters of stock, with room for spaces a person adds. */
const TYPED_CODE_LENGTH_MAX = 32;

const saleBodySchema = z
  .object({
    phone: z.string().trim().min(1).max(PHONE_LENGTH_MAX),
    planId: z.string().max(ID_LENGTH_MAX).optional(),
    code: z.string().trim().min(1).max(TYPED_CODE_LENGTH_MAX).optional(),
    language: z.enum(['en', 'sw']).optional(),
  })
  .strict()
  .refine((body) => (body.planId === undefined) !== (body.code === undefined), {
    message: 'Give either planId (the oldest unsold voucher of that package) or code, not both.',
  });

const saleOutputSchema = z.object({
  voucherId: z.string(),
  code: z.string(),
  planId: z.string(),
  phone: z.string(),
  soldAt: z.number().int(),
  isSmsQueued: z.boolean(),
});

resellers.declare({
  method: 'post',
  path: '/:id/stock/sell',
  summary:
    'Sell one stock voucher to a buyer’s phone: its code goes by SMS with the reseller’s name and phone (Tier 2)',
  permission: 'resellers.write',
  feature: 'sms',
  params: idParams,
  body: saleBodySchema,
  response: saleOutputSchema,
  responseStatus: 201,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await sellStockBySms(
        tenantDatabaseOf(context, dependencies),
        hierarchyActorOf(context.get('principal')),
        params.id,
        body.code === undefined
          ? { phone: body.phone, planId: body.planId ?? '', language: body.language }
          : { phone: body.phone, code: body.code, language: body.language },
        {
          soldBy: context.get('principal').id,
          nowMs: dependencies.clock.now(),
          audit: auditorOf(dependencies, context),
        },
      ),
    ),
});

declareResellerList(
  '/:id/stock/sales',
  'Vouchers a reseller sold by SMS, newest first',
  z.object({
    voucherId: z.string(),
    code: z.string(),
    planId: z.string(),
    phone: z.string(),
    soldBy: z.string(),
    soldAt: z.number().int(),
  }),
  voucherSalesOf,
);

resellers.declare({
  method: 'get',
  path: '/:id/stock/:batchId/sheet',
  summary: 'Print sheet of a stock batch with the reseller’s name and phone on every card (format=html|pdf)',
  permission: 'resellers.read',
  feature: 'hotspot',
  params: idParams.extend({ batchId: z.string().max(ID_LENGTH_MAX) }),
  query: z.object({ format: z.enum(['html', 'pdf']).default('html') }),
  responseContentType: 'text/html',
  handler: async ({ params, query, dependencies }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const reseller = await visibleReseller(database, hierarchyActorOf(context.get('principal')), params.id);
    const sheet = await resellerSheetOf(
      database,
      dependencies.databases.platform,
      tenantIdOf(context),
      reseller,
      params.batchId,
    );
    return voucherSheetResponse(context, sheet, query.format, params.batchId);
  },
});

resellers.declare({
  method: 'get',
  path: '/:id/commissions',
  summary: 'Commissions a reseller earned in a period (default: this Nairobi month) and their total',
  permission: 'resellers.read',
  params: idParams,
  query: periodQuerySchema,
  response: z.object({
    items: z.array(
      z.object({
        saleId: z.string(),
        level: z.number().int(),
        resellerId: z.string(),
        sellerId: z.string(),
        planId: z.string(),
        saleKind: z.enum(['portal', 'stock']),
        salePriceCents: z.number().int(),
        amountCents: z.number().int(),
        settledAt: z.number().int(),
      }),
    ),
    totals: z.object({ amountCents: z.number().int() }),
  }),
  handler: async ({ params, query, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    await visibleReseller(database, hierarchyActorOf(context.get('principal')), params.id);
    return respond(await commissionsOf(database, params.id, periodOf(query, dependencies.clock.now())));
  },
});

resellers.declare({
  method: 'post',
  path: '/:id/payouts',
  summary: 'Record commission paid to a reseller (409 above what is owed)',
  permission: 'resellers.money',
  params: idParams,
  body: payoutInputSchema,
  response: cashMovementOutputSchema.extend({ commissionOwedCents: z.number().int() }),
  responseStatus: 201,
  handler: async ({ params, body, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const principal = context.get('principal');
    await visibleReseller(database, hierarchyActorOf(principal), params.id);
    return respond(
      await recordPayout(database, params.id, body, {
        createdBy: principal.id,
        nowMs: dependencies.clock.now(),
        audit: auditorOf(dependencies, context),
      }),
    );
  },
});

declareResellerList(
  '/:id/payouts',
  'Payouts to a reseller, newest first',
  cashMovementOutputSchema,
  (database, id, page) => cashMovementsOf(database, 'payouts', id, page),
);

resellers.declare({
  method: 'get',
  path: '/:id/statement',
  summary: 'A reseller’s statement of wallet and commissions for a period (format=json|csv|pdf)',
  permission: 'resellers.read',
  params: idParams,
  query: periodQuerySchema.extend({ format: z.enum(['json', 'csv', 'pdf']).default('json') }),
  responseContentType: 'application/json',
  handler: async ({ params, query, dependencies }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const reseller = await visibleReseller(database, hierarchyActorOf(context.get('principal')), params.id);
    const statement = await statementOf(database, reseller.id, periodOf(query, dependencies.clock.now()));
    const fileName = `statement-${reseller.code}`;
    if (query.format === 'json') return context.json(statement);
    if (query.format === 'csv') {
      return context.body(renderStatementCsv(statement), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName}.csv"`,
      });
    }
    const pdf = await renderStatementPdf(statement, reseller.name);
    return context.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="${fileName}.pdf"`,
    });
  },
});

const stkTopUpOutputSchema = z.object({
  id: z.string(),
  status: z.enum(['pending', 'paid', 'failed']),
  amountCents: z.number().int(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

resellers.declare({
  method: 'post',
  path: '/:id/mpesa-topups',
  summary: 'A reseller tops up its own wallet by M-Pesa STK to the ISP’s shortcode (credited when paid)',
  permission: 'resellers.write',
  params: idParams,
  body: z
    .object({
      shillings: z.number().int().min(1).max(STK_TOP_UP_SHILLINGS_MAX),
      phone: z.string().trim().min(1).max(PHONE_LENGTH_MAX),
    })
    .strict(),
  response: stkTopUpOutputSchema,
  responseStatus: 202,
  handler: async ({ params, body, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const principal = context.get('principal');
    const reseller = await visibleReseller(database, hierarchyActorOf(principal), params.id);
    if (principal.kind !== 'reseller' || principal.id !== reseller.id) {
      throw new KiungaError(
        'forbidden',
        'Only the reseller itself tops up by M-Pesa; record cash as a top-up.',
      );
    }
    return respond(
      await startStkTopUp(
        dependencies,
        tenantIdOf(context),
        database,
        reseller,
        body,
        sourceAddressOf(context, dependencies) ?? 'unknown',
      ),
    );
  },
});

resellers.declare({
  method: 'get',
  path: '/:id/mpesa-topups/:purchaseId',
  summary: 'Where a reseller’s M-Pesa top-up stands (pending, paid, failed with the reason)',
  permission: 'resellers.read',
  params: idParams.extend({ purchaseId: z.string().max(ID_LENGTH_MAX) }),
  response: stkTopUpOutputSchema,
  handler: async ({ params, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    await visibleReseller(database, hierarchyActorOf(context.get('principal')), params.id);
    return respond(await stkTopUpView(database, params.id, params.purchaseId));
  },
});

const commissionRules = routeGroup({ basePath: '/api/v1/commission-rules', tag: 'resellers' });

commissionRules.declare({
  method: 'post',
  path: '/',
  summary: 'Set the commission of one level on one plan (planId null: the default), replacing any before',
  permission: 'resellers.money',
  body: commissionRuleInputSchema,
  response: commissionRuleOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await setCommissionRule(tenantDatabaseOf(context, dependencies), body, {
        nowMs: dependencies.clock.now(),
        audit: auditorOf(dependencies, context),
      }),
    ),
});

commissionRules.declare({
  method: 'get',
  path: '/',
  summary: 'The ISP’s commission rules',
  permission: 'resellers.read',
  response: z.object({ items: z.array(commissionRuleOutputSchema) }),
  handler: async ({ dependencies, respond }, context) =>
    respond({ items: await listCommissionRules(tenantDatabaseOf(context, dependencies)) }),
});

const resellerSettingsSchema = z
  .object({ depthMax: resellerDepthSettingSchema, stockPricing: z.enum(STOCK_PRICING_MODES) })
  .strict();

const resellerSettings = routeGroup({ basePath: '/api/v1/settings/resellers', tag: 'settings' });

resellerSettings.declare({
  method: 'get',
  path: '/',
  summary: 'The reseller hierarchy’s depth (1–3, default 2) and how stock is priced (default commission)',
  permission: 'resellers.read',
  response: resellerSettingsSchema,
  handler: async ({ dependencies, respond }, context) =>
    respond(await readResellerSettings(tenantDatabaseOf(context, dependencies))),
});

resellerSettings.declare({
  method: 'put',
  path: '/',
  summary:
    'Set the hierarchy depth (1–3; 409 while resellers sit deeper) and the stock pricing: plan price with commission, or a discount per plan',
  permission: 'settings.write',
  body: resellerSettingsSchema,
  response: resellerSettingsSchema,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await saveResellerSettings(tenantDatabaseOf(context, dependencies), body, {
        nowMs: dependencies.clock.now(),
        audit: auditorOf(dependencies, context),
      }),
    ),
});

export const resellerRoutes = (dependencies: ApiDependencies) => resellers.mount(dependencies);
export const commissionRuleRoutes = (dependencies: ApiDependencies) => commissionRules.mount(dependencies);
export const resellerSettingsRoutes = (dependencies: ApiDependencies) => resellerSettings.mount(dependencies);
