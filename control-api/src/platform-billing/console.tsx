// Platform console billing page (/platform/billing): ISPs' Kiunga accounts, bank payments recorded by
// reference, and unmatched payments matched to an ISP — through the API in-process.

import { formatKsh } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  formFields,
  redirectWithFlash,
  renderHtml,
  shillingsToCents,
  takeDraft,
  withFormErrors,
} from '../console/support';
import type { AppEnv } from '../kernel/dependencies';
import { PlatformBillingPage, type PlatformPayment, type PlatformTenantAccount } from './views';

const PAGE_PATH = '/platform/billing';
/** Unmatched payments listed at once: a finance user's day of bank lines. */
const UNMATCHED_SHOWN = 100;

export function platformBillingPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const api = <Result,>(context: Context<AppEnv>, method: 'GET' | 'POST', path: string, body?: unknown) =>
    callApi<Result>(context, fetchApp, method, path, body);

  routes.get('/billing', async (context) => {
    assertPermission(context, 'platform_billing.manage');
    const [accounts, unmatched] = await Promise.all([
      api<{ items: PlatformTenantAccount[] }>(context, 'GET', '/api/v1/platform/billing/tenants'),
      api<{ items: PlatformPayment[] }>(
        context,
        'GET',
        `/api/v1/platform/billing/payments?status=unmatched&limit=${UNMATCHED_SHOWN}`,
      ),
    ]);
    return renderHtml(
      context,
      <PlatformBillingPage
        shell={shell(context)}
        accounts={accounts.items}
        unmatched={unmatched.items}
        draft={takeDraft(context)}
      />,
    );
  });

  routes.post('/billing/bank-payments', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      const payment = await api<{ tenantId: string | null; amountCents: number; isNew: boolean }>(
        context,
        'POST',
        '/api/v1/platform/billing/bank-payments',
        {
          reference: fields.reference?.trim() ?? '',
          amountCents: shillingsToCents(fields.amount, 'Amount'),
          bankTransactionId: fields.bankTransactionId?.trim() ?? '',
        },
      );
      const amount = formatKsh(payment.amountCents);
      if (!payment.isNew)
        return redirectWithFlash(
          context,
          PAGE_PATH,
          'ok',
          `This bank transaction was already recorded (${amount}).`,
        );
      if (payment.tenantId === null)
        return redirectWithFlash(
          context,
          PAGE_PATH,
          'error',
          `${amount} recorded, but no ISP has this reference: match it below.`,
        );
      return redirectWithFlash(context, PAGE_PATH, 'ok', `Bank payment of ${amount} credited.`);
    }),
  );

  routes.post('/billing/run', async (context) => {
    const result = await api<{ tenants: number; chargesCreated: number; stateChanges: number }>(
      context,
      'POST',
      '/api/v1/platform/billing/run',
    );
    return redirectWithFlash(
      context,
      PAGE_PATH,
      'ok',
      `Billing run over ${result.tenants} ISPs: ${result.chargesCreated} charges, ${result.stateChanges} state changes.`,
    );
  });

  routes.post('/billing/payments/:id/match', (context) =>
    withFormErrors(context, PAGE_PATH, async () => {
      const fields = await formFields(context);
      const payment = await api<{ amountCents: number }>(
        context,
        'POST',
        `/api/v1/platform/billing/payments/${encodeURIComponent(context.req.param('id'))}/match`,
        { tenantId: fields.tenantId ?? '' },
      );
      return redirectWithFlash(
        context,
        PAGE_PATH,
        'ok',
        `Payment of ${formatKsh(payment.amountCents)} matched.`,
      );
    }),
  );
  return routes;
}
