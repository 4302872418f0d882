// ISP console subscriber pages (/isp/subscribers...), through the API in-process.
import type { SubscriberOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import { createSubscriberFromForm, planNamesOf, subscriberPlans } from '../../console/subscriber-forms';
import {
  type AppFetch,
  assertPermission,
  callApi,
  callApiPage,
  can,
  formFields,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { usageChartOf } from '../usage/console';
import { SubscriberDetailPage, SubscriberNewPage, SubscribersPage } from './views';

export function subscriberPageRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const api = <Result,>(
    context: Context<AppEnv>,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ) => callApi<Result>(context, fetchApp, method, path, body);
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);

  routes.get('/subscribers', async (context) => {
    assertPermission(context, 'subscribers.read');
    const query = pageQuery(context, ['q', 'status']);
    const [page, planNames] = await Promise.all([
      callApiPage<SubscriberOutput>(context, fetchApp, '/api/v1/subscribers', query),
      planNamesOf(context, fetchApp),
    ]);
    return renderHtml(
      context,
      <SubscribersPage
        shell={shell(context)}
        subscribers={page.items}
        planNames={planNames}
        nextCursor={page.nextCursor}
        query={query}
        canWrite={can(context, 'subscribers.write')}
      />,
    );
  });

  routes.get('/subscribers/new', async (context) => {
    assertPermission(context, 'subscribers.write');
    return renderHtml(
      context,
      <SubscriberNewPage
        shell={shell(context)}
        plans={await subscriberPlans(context, fetchApp)}
        draft={takeDraft(context)}
      />,
    );
  });

  routes.post('/subscribers', (context) =>
    withFormErrors(context, '/isp/subscribers/new', async () => {
      const { plans, created } = await createSubscriberFromForm(context, fetchApp);
      return renderHtml(
        context,
        <SubscriberNewPage shell={shell(context)} plans={plans} created={created} />,
        201,
      );
    }),
  );

  routes.get('/subscribers/:id', async (context) => {
    const subscriber = await api<SubscriberOutput>(
      context,
      'GET',
      `/api/v1/subscribers/${encodeURIComponent(context.req.param('id'))}`,
    );
    const [plans, planNames, usageChart] = await Promise.all([
      subscriberPlans(context, fetchApp),
      planNamesOf(context, fetchApp),
      can(context, 'sessions.read')
        ? usageChartOf(context, fetchApp, { subscriberId: subscriber.id }, dependencies.clock.now())
        : undefined,
    ]);
    return renderHtml(
      context,
      <SubscriberDetailPage
        shell={shell(context)}
        subscriber={subscriber}
        plans={plans}
        planName={planNames.get(subscriber.planId) ?? ''}
        canWrite={can(context, 'subscribers.write')}
        canReadBilling={can(context, 'billing.read')}
        usageChart={usageChart}
      />,
    );
  });

  const subscriberAction = (
    suffix: string,
    body: (fields: Record<string, string>) => unknown,
    message: (subscriber: SubscriberOutput) => string,
  ) =>
    routes.post(`/subscribers/:id${suffix}`, (context) => {
      const id = encodeURIComponent(context.req.param('id'));
      return withFormErrors(context, `/isp/subscribers/${id}`, async () => {
        const method = suffix === '' ? 'PATCH' : 'POST';
        const apiSuffix = suffix === '/plan' ? '/change-plan' : suffix;
        const subscriber = await api<SubscriberOutput>(
          context,
          method,
          `/api/v1/subscribers/${id}${apiSuffix}`,
          body(await formFields(context)),
        );
        return redirectWithFlash(context, `/isp/subscribers/${id}`, 'ok', message(subscriber));
      });
    });

  subscriberAction(
    '',
    (fields) => ({
      fullName: fields.fullName?.trim() ?? '',
      phone: optionalText(fields, 'phone') ?? null,
      email: optionalText(fields, 'email') ?? null,
      staticIp: optionalText(fields, 'staticIp') ?? null,
      macAddress: optionalText(fields, 'macAddress') ?? null,
      cpeSerialNumber: optionalText(fields, 'cpeSerialNumber') ?? null,
      ...(optionalText(fields, 'password') ? { password: optionalText(fields, 'password') } : {}),
    }),
    (subscriber) => `${subscriber.username} saved.`,
  );
  subscriberAction(
    '/plan',
    (fields) => ({ planId: fields.planId ?? '' }),
    (s) => `${s.username} moved to the new plan.`,
  );
  subscriberAction(
    '/suspend',
    () => undefined,
    (s) => `${s.username} suspended; live sessions disconnected.`,
  );
  subscriberAction(
    '/reactivate',
    () => undefined,
    (s) => `${s.username} is ${s.status} again.`,
  );

  routes.post('/subscribers/:id/delete', (context) => {
    const id = encodeURIComponent(context.req.param('id'));
    return withFormErrors(context, `/isp/subscribers/${id}`, async () => {
      const subscriber = await callApi<SubscriberOutput & { disconnected: { sessions: number } }>(
        context,
        fetchApp,
        'DELETE',
        `/api/v1/subscribers/${id}`,
      );
      const sessions = subscriber.disconnected?.sessions ?? 0;
      const note = sessions > 0 ? ` ${sessions} session(s) disconnected.` : '';
      return redirectWithFlash(context, '/isp/subscribers', 'ok', `${subscriber.username} deleted.${note}`);
    });
  });

  return routes;
}
