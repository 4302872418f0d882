// /callbacks/sms/<tenant>/<token>/{delivery,incoming,opt-out}: where Africa's Talking posts an ISP's
// delivery reports, incoming messages (STOP/START) and bulk SMS opt-outs, each a form body. Every body
// is stored or applied, and the answer is 200 even for an unreadable one, so the gateway does not retry
// what no retry makes readable; a wrong token answers 404, and nothing logged carries the URL's token.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ApiDependencies } from '../../kernel/dependencies';
import { isTenantServed } from '../../kernel/tenant-access';
import {
  type CallbackEnv,
  callbackErrorHandler,
  readCallbackBody,
  tooLargeAnswer,
} from '../../mpesa/callback-api';
import { tenantOfSmsCallback } from './callback-addresses';
import { receiveBulkOptOut, receiveDeliveryReport, receiveIncomingMessage } from './service';

export function smsCallbackRoutes(dependencies: ApiDependencies): Hono<CallbackEnv> {
  const routes = new Hono<CallbackEnv>();
  routes.onError(callbackErrorHandler(dependencies.logger, 'SMS callback'));
  const handle =
    (kind: string, receive: (database: SqlDatabase, body: string, nowMs: number) => Promise<string>) =>
    async (context: Context<CallbackEnv>): Promise<Response> => {
      const tenantId = tenantOfSmsCallback(
        dependencies,
        context.req.param('tenant') ?? '',
        context.req.param('token') ?? '',
      );
      if (tenantId === null || !(await isTenantServed(dependencies.databases.platform, tenantId)))
        throw new KiungaError('not_found');
      context.set('callbackTenantId', tenantId);
      const body = await readCallbackBody(context);
      if (body.kind === 'too_large') return tooLargeAnswer(context);
      const outcome = await receive(
        dependencies.databases.forTenant(tenantId),
        body.text,
        dependencies.clock.now(),
      );
      dependencies.logger.info({ tenantId, kind, outcome }, 'sms callback');
      return context.json({ outcome });
    };
  routes.post('/:tenant/:token/delivery', handle('delivery', receiveDeliveryReport));
  routes.post('/:tenant/:token/incoming', handle('incoming', receiveIncomingMessage));
  routes.post('/:tenant/:token/opt-out', handle('opt_out', receiveBulkOptOut));
  return routes;
}
