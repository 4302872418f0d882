// ISP console billing pages (/isp/billing): invoices, payments and assigning unmatched C2B payments,
// billing settings, and one subscriber's balance, statement and counter payments — all through the API.
import { randomUUID } from 'node:crypto';
import type { SubscriberOutput } from '@kiunga/schemas';
import { formatKsh } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../console/isp-nav';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  callApiPage,
  can,
  formFields,
  optionalNumber,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  shillingsToCents,
  tenantShell,
  withFormErrors,
  withQuery,
} from '../console/support';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import type { Page } from '../kernel/pagination';
import { ANCHOR_DAY_MAX, CYCLE_LENGTH_MONTHS_MAX } from './core/cycles';
import { DUNNING_STEPS_MAX } from './core/dunning';
import type { PaymentRow } from './payments-store';
import type { InvoiceOutput, Statement } from './queries';
import type { BillingSettings } from './settings';
import { BillingSettingsPage, InvoicesPage, PaymentsPage, SubscriberBillingPage } from './views';

/** Invoices shown on a subscriber's billing page; the rest are in the filtered invoice list. */
const SUBSCRIBER_INVOICES_SHOWN = 12;
/** Subscribers looked at when resolving a typed account number or username. */
const SUBSCRIBER_MATCHES_MAX = 10;

type BillingContext = Context<AppEnv>;

/** The settings form into the API's input: dunning rows with empty days are dropped, the rest sorted. */
function settingsInputOf(fields: Record<string, string>) {
  const dunningSteps: Array<{ daysFromDue: number | undefined; action: string }> = [];
  for (let index = 0; index < DUNNING_STEPS_MAX; index += 1) {
    const daysFromDue = optionalNumber(fields, `stepDays${index}`);
    if (daysFromDue !== undefined)
      dunningSteps.push({ daysFromDue, action: fields[`stepAction${index}`] ?? 'remind' });
  }
  dunningSteps.sort((a, b) => (a.daysFromDue ?? 0) - (b.daysFromDue ?? 0));
  const anchor = fields.cycleAnchorDay;
  return {
    cycle: {
      lengthMonths: optionalNumber(fields, 'cycleLengthMonths'),
      anchorDay: anchor === 'signup_day' ? anchor : optionalNumber(fields, 'cycleAnchorDay'),
    },
    dueDays: optionalNumber(fields, 'dueDays'),
    invoicePrefix: fields.invoicePrefix?.trim().toUpperCase() ?? '',
    // An unticked checkbox is not sent at all: absent means off.
    wholeShillings: fields.wholeShillings === 'on',
    dunningSteps,
  };
}

export function ispBillingRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const api = <Result,>(
    context: BillingContext,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ) => callApi<Result>(context, fetchApp, method, path, body);
  const shell = (context: BillingContext) => tenantShell(context, dependencies, ISP_NAV);

  /** A subscriber id from what staff type (account number, username or id), or null when none fits. */
  const subscriberIdFor = async (context: BillingContext, text: string): Promise<string | null> => {
    const page = await api<Page<SubscriberOutput>>(
      context,
      'GET',
      withQuery('/api/v1/subscribers', { q: text, limit: SUBSCRIBER_MATCHES_MAX }),
    );
    const typed = text.toLowerCase();
    const exact = page.items.find(
      (subscriber) =>
        subscriber.id === text ||
        subscriber.accountNumber.toLowerCase() === typed ||
        subscriber.username.toLowerCase() === typed,
    );
    return exact?.id ?? (page.items.length === 1 ? (page.items[0]?.id ?? null) : null);
  };

  routes.get('/billing', async (context) => {
    assertPermission(context, 'billing.read');
    const query = pageQuery(context, ['status', 'subscriber']);
    const subscriberId = query.subscriber ? await subscriberIdFor(context, query.subscriber) : undefined;
    const page: Page<InvoiceOutput> =
      subscriberId === null
        ? { items: [], nextCursor: null }
        : await api<Page<InvoiceOutput>>(
            context,
            'GET',
            withQuery('/api/v1/invoices', {
              status: query.status,
              subscriberId,
              cursor: query.cursor,
              limit: CONSOLE_PAGE_SIZE,
            }),
          );
    return renderHtml(
      context,
      <InvoicesPage
        shell={shell(context)}
        invoices={page.items}
        nextCursor={page.nextCursor}
        query={query}
        isUnknownSubscriber={subscriberId === null}
      />,
    );
  });

  routes.get('/billing/payments', async (context) => {
    assertPermission(context, 'billing.read');
    const query = pageQuery(context, ['status']);
    const page = await callApiPage<PaymentRow>(context, fetchApp, '/api/v1/payments', query);
    return renderHtml(
      context,
      <PaymentsPage
        shell={shell(context)}
        payments={page.items}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'billing.write')}
      />,
    );
  });

  routes.post('/billing/payments/:id/assign', (context) =>
    withFormErrors(context, '/isp/billing/payments?status=unmatched', async () => {
      const typed = optionalText(await formFields(context), 'subscriber') ?? '';
      const subscriberId = typed ? await subscriberIdFor(context, typed) : null;
      if (!subscriberId)
        return redirectWithFlash(
          context,
          '/isp/billing/payments?status=unmatched',
          'error',
          `No single subscriber has the account number or username “${typed}”.`,
        );
      const payment = await api<PaymentRow & { settlement: { reactivated: boolean } }>(
        context,
        'POST',
        `/api/v1/payments/${encodeURIComponent(context.req.param('id'))}/assign`,
        { subscriberId },
      );
      const note = payment.settlement.reactivated ? ' Service reactivated.' : '';
      return redirectWithFlash(
        context,
        `/isp/billing/subscribers/${encodeURIComponent(subscriberId)}`,
        'ok',
        `Payment ${payment.providerTransactionId} (${formatKsh(payment.amountCents)}) assigned.${note}`,
      );
    }),
  );

  routes.get('/billing/settings', async (context) => {
    assertPermission(context, 'billing.read');
    const settings = await api<BillingSettings>(context, 'GET', '/api/v1/billing/settings');
    return renderHtml(
      context,
      <BillingSettingsPage
        shell={shell(context)}
        settings={settings}
        canWrite={can(context, 'billing.write')}
        cycleLengthMonthsMax={CYCLE_LENGTH_MONTHS_MAX}
        anchorDayMax={ANCHOR_DAY_MAX}
        dunningStepsMax={DUNNING_STEPS_MAX}
      />,
    );
  });

  routes.post('/billing/settings', (context) =>
    withFormErrors(context, '/isp/billing/settings', async () => {
      await api<BillingSettings>(
        context,
        'PATCH',
        '/api/v1/billing/settings',
        settingsInputOf(await formFields(context)),
      );
      return redirectWithFlash(context, '/isp/billing/settings', 'ok', 'Billing settings saved.');
    }),
  );

  routes.get('/billing/subscribers/:id', async (context) => {
    assertPermission(context, 'billing.read');
    const id = encodeURIComponent(context.req.param('id'));
    const [subscriber, statement, invoices] = await Promise.all([
      api<SubscriberOutput>(context, 'GET', `/api/v1/subscribers/${id}`),
      api<Statement>(context, 'GET', `/api/v1/subscribers/${id}/statement`),
      api<Page<InvoiceOutput>>(
        context,
        'GET',
        withQuery('/api/v1/invoices', {
          subscriberId: context.req.param('id'),
          limit: SUBSCRIBER_INVOICES_SHOWN,
        }),
      ),
    ]);
    return renderHtml(
      context,
      <SubscriberBillingPage
        shell={shell(context)}
        subscriber={subscriber}
        statement={statement}
        invoices={invoices.items}
        hasMoreInvoices={invoices.nextCursor !== null}
        canWrite={can(context, 'billing.write')}
        idempotencyKey={randomUUID()}
      />,
    );
  });

  routes.post('/billing/subscribers/:id/void', (context) => {
    const subscriberId = context.req.param('id');
    const path = `/isp/billing/subscribers/${encodeURIComponent(subscriberId)}`;
    return withFormErrors(context, path, async () => {
      const fields = await formFields(context);
      const invoice = await api<{ number: string; settlement: { reactivated: boolean } }>(
        context,
        'POST',
        `/api/v1/invoices/${encodeURIComponent(fields.invoiceId ?? '')}/void`,
        { reason: fields.reason ?? '' },
      );
      const note = invoice.settlement.reactivated ? ' Service reactivated.' : '';
      return redirectWithFlash(context, path, 'ok', `Invoice ${invoice.number} voided.${note}`);
    });
  });

  routes.post('/billing/subscribers/:id/refunds', (context) => {
    const subscriberId = context.req.param('id');
    const path = `/isp/billing/subscribers/${encodeURIComponent(subscriberId)}`;
    return withFormErrors(context, path, async () => {
      const fields = await formFields(context);
      const reference = optionalText(fields, 'reference');
      const refund = await api<{ amountCents: number }>(
        context,
        'POST',
        `/api/v1/subscribers/${encodeURIComponent(subscriberId)}/refunds`,
        {
          amountCents: shillingsToCents(fields.amount, 'Amount'),
          method: fields.method === 'bank' || fields.method === 'cash' ? fields.method : 'mpesa',
          idempotencyKey: fields.idempotencyKey ?? '',
          ...(reference ? { reference } : {}),
        },
      );
      return redirectWithFlash(context, path, 'ok', `Refund of ${formatKsh(refund.amountCents)} recorded.`);
    });
  });

  routes.post('/billing/subscribers/:id/payments', (context) => {
    const subscriberId = context.req.param('id');
    const path = `/isp/billing/subscribers/${encodeURIComponent(subscriberId)}`;
    return withFormErrors(context, path, async () => {
      const fields = await formFields(context);
      const reference = optionalText(fields, 'reference');
      const payment = await api<PaymentRow & { settlement: { reactivated: boolean } }>(
        context,
        'POST',
        '/api/v1/payments',
        {
          subscriberId,
          amountCents: shillingsToCents(fields.amount, 'Amount'),
          method: fields.method === 'bank' ? 'bank' : 'cash',
          idempotencyKey: fields.idempotencyKey ?? '',
          ...(reference ? { reference } : {}),
        },
      );
      const note = payment.settlement.reactivated ? ' Service reactivated.' : '';
      return redirectWithFlash(
        context,
        path,
        'ok',
        `Payment of ${formatKsh(payment.amountCents)} recorded.${note}`,
      );
    });
  });
  return routes;
}
