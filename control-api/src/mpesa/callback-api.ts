// /callbacks/mm/<tenant>/<token>/...: where Daraja posts an ISP's STK results and C2B validations and
// confirmations. Every body is stored raw before it is applied, every outcome is recorded on that row,
// and every answer is Daraja's acknowledgement or a fitting 4xx: a callback never answers 500 for
// anything Daraja can send, and nothing logged carries the URL's token.
import { KiungaError, messageFor, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import {
  C2B_CONFIRMATION_ACCEPTED,
  C2B_VALIDATION_ACCEPTED,
  c2bValidationRejected,
  parseC2bRequest,
  readC2bRequest,
  STK_CALLBACK_ACCEPTED,
} from '../integrations/mpesa/index';
import type { ApiDependencies } from '../kernel/dependencies';
import { closeInStagesAfterAnswer } from '../kernel/middleware/staged-close';
import { isTenantServed } from '../kernel/tenant-access';
import { c2bValidationVerdict, recordC2bPayment } from './c2b';
import { tenantOfCallback } from './callback-addresses';
import { applyStkCallback } from './purchase-service';
import { setCallbackOutcome, storeCallback } from './purchases';

/** Daraja's callbacks are a few KB (a C2B body is about 400 bytes); a body past this is not one. */
export const CALLBACK_BODY_BYTES_MAX = 64 * 1024;
/** Of a body past the limit, this much is kept on its row for whoever looks into it. */
export const OVERSIZED_BODY_PREFIX_BYTES = 4 * 1024;

/** The tenant a callback was verified for, once it was: for the error log. */
export type CallbackEnv = { Variables: { callbackTenantId: string } };

export type CallbackBody =
  | { readonly kind: 'complete'; readonly text: string }
  | { readonly kind: 'too_large'; readonly prefix: string };

/**
 * The request body, read up to the limit and no further: a declared Content-Length past it is refused
 * unread, a chunked body is cut off where it crosses it.
 */
export async function readCallbackBody(context: Context): Promise<CallbackBody> {
  const declared = Number(context.req.header('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > CALLBACK_BODY_BYTES_MAX) {
    refuseRestOfBody(context);
    return { kind: 'too_large', prefix: '' };
  }
  const stream = context.req.raw.body;
  if (stream === null) return { kind: 'complete', text: '' };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    chunks.push(value);
    if (size > CALLBACK_BODY_BYTES_MAX) {
      // Not cancel(): that destroys the socket while the sender still writes, and its TCP stack then
      // loses our 413 to the reset (RFC 9112 §9.6). The staged close reads and drops the rest.
      reader.releaseLock();
      refuseRestOfBody(context);
      const prefix = Buffer.concat(chunks).subarray(0, OVERSIZED_BODY_PREFIX_BYTES).toString('utf8');
      return { kind: 'too_large', prefix };
    }
  }
  return { kind: 'complete', text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * The rest of an oversized body is not read: the answer asks the sender to close, and the connection
 * closes in stages so that a sender still writing reads the 413 (kernel/middleware/staged-close.ts).
 */
function refuseRestOfBody(context: Context): void {
  context.header('connection', 'close');
  closeInStagesAfterAnswer(context.env);
}

/** 413 in the API's error shape, for a body past the limit. */
export function tooLargeAnswer(context: Context): Response {
  return context.json(
    { error: { code: 'payload_too_large', message: messageFor('payload_too_large') } },
    413,
  );
}

/**
 * The callback routes' own error answer: the app-wide one logs the request path, which here holds the
 * callback token. This one logs only the error (and the tenant, when known).
 */
export function callbackErrorHandler(logger: Logger, name: string) {
  return (error: Error, context: Context<CallbackEnv>): Response => {
    if (error instanceof KiungaError) {
      return context.json(
        { error: { code: error.code, message: error.message } },
        error.httpStatus as ContentfulStatusCode,
      );
    }
    logger.error({ err: error, tenantId: context.get('callbackTenantId') ?? null }, `${name} failed`);
    return context.json({ error: { code: 'internal_error', message: messageFor('internal_error') } }, 500);
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Daraja posts here; the answer is Accepted once the body is stored, duplicates included. */
export function mpesaCallbackRoutes(dependencies: ApiDependencies): Hono<CallbackEnv> {
  const routes = new Hono<CallbackEnv>();
  routes.onError(callbackErrorHandler(dependencies.logger, 'M-Pesa callback'));
  /** The tenant the path's id and token name together, and its database; anything else is not found. */
  const tenantOfRequest = async (
    context: Context<CallbackEnv>,
  ): Promise<{ tenantId: string; database: SqlDatabase }> => {
    const tenantId = tenantOfCallback(
      dependencies,
      context.req.param('tenant') ?? '',
      context.req.param('token') ?? '',
    );
    if (tenantId === null || !(await isTenantServed(dependencies.databases.platform, tenantId)))
      throw new KiungaError('not_found');
    context.set('callbackTenantId', tenantId);
    return { tenantId, database: dependencies.databases.forTenant(tenantId) };
  };
  /** The body's text, or (past the limit) its start stored with outcome too_large and the 413 to answer. */
  const bodyOrRefusal = async (
    context: Context<CallbackEnv>,
    tenant: { tenantId: string; database: SqlDatabase },
    kind: string,
  ): Promise<{ text: string } | { refusal: Response }> => {
    const body = await readCallbackBody(context);
    if (body.kind === 'complete') return { text: body.text };
    await storeCallback(
      tenant.database,
      { provider: 'mpesa', kind, body: body.prefix, outcome: 'too_large' },
      dependencies.clock.now(),
    );
    dependencies.logger.warn({ tenantId: tenant.tenantId, kind }, 'M-Pesa callback body over the limit');
    return { refusal: tooLargeAnswer(context) };
  };

  routes.post('/:tenant/:token/stk', async (context) => {
    const tenant = await tenantOfRequest(context);
    const body = await bodyOrRefusal(context, tenant, 'stk');
    if ('refusal' in body) return body.refusal;
    const outcome = await applyStkCallback(dependencies, tenant.tenantId, tenant.database, body.text);
    dependencies.logger.info({ tenantId: tenant.tenantId, outcome }, 'mpesa stk callback');
    return context.json(STK_CALLBACK_ACCEPTED);
  });

  // Validation: M-Pesa asks before taking the money; a refusal answers one of Daraja's rejection codes.
  routes.post('/:tenant/:token/c2b/validation', async (context) => {
    const { database } = await tenantOfRequest(context);
    const body = await readCallbackBody(context);
    const parsed = body.kind === 'complete' ? parseC2bRequest(parseJson(body.text)) : null;
    if (parsed === null || !parsed.ok) return context.json(c2bValidationRejected('C2B00016'));
    const verdict = await c2bValidationVerdict(database, readC2bRequest(parsed.value));
    return context.json(verdict === 'accept' ? C2B_VALIDATION_ACCEPTED : c2bValidationRejected(verdict));
  });

  // Confirmation: the money has moved; store it raw, then record it once (by TransID).
  routes.post('/:tenant/:token/c2b/confirmation', async (context) => {
    const tenant = await tenantOfRequest(context);
    const { database } = tenant;
    const body = await bodyOrRefusal(context, tenant, 'c2b_confirmation');
    if ('refusal' in body) return body.refusal;
    const nowMs = dependencies.clock.now();
    const callbackId = await storeCallback(
      database,
      { provider: 'mpesa', kind: 'c2b_confirmation', body: body.text, outcome: 'stored' },
      nowMs,
    );
    const parsed = parseC2bRequest(parseJson(body.text));
    if (!parsed.ok) {
      await setCallbackOutcome(database, callbackId, 'rejected');
      return context.json(C2B_CONFIRMATION_ACCEPTED);
    }
    const payment = readC2bRequest(parsed.value);
    const outcome = await recordC2bPayment(
      database,
      {
        transId: payment.transId,
        amount: payment.amount,
        msisdn: payment.msisdn,
        billRefNumber: payment.billRefNumber,
      },
      nowMs,
    );
    await setCallbackOutcome(database, callbackId, outcome.kind);
    if (outcome.kind === 'applied' && outcome.match.kind === 'subscriber') {
      dependencies.onSubscriberPayment?.(tenant.tenantId, outcome.match.id);
    }
    return context.json(C2B_CONFIRMATION_ACCEPTED);
  });
  return routes;
}
