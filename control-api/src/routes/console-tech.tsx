// Technician panel pages (/tech), branded as the ISP; subscribers are created through the API in-process.
import type { PlanOutput, SubscriberOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ApiDependencies, AppEnv } from '../dependencies';
import type { Page } from '../pagination';
import { TECH_NAV } from '../views/isp/nav';
import { TechNewSubscriberPage, TechSearchPage } from '../views/tech/panel';
import { subscriberInputOf, subscriberPlans } from './console-isp-people';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  consoleAccess,
  consoleErrorHandler,
  formFields,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
  withQuery,
} from './console-support';

export function techPanelRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(consoleErrorHandler(dependencies));
  // Any ISP account may use the panel; platform accounts are sent to their own console.
  routes.use('*', ...consoleAccess(dependencies, (principal) => principal.tenantId !== null));
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, TECH_NAV);

  routes.get('/', async (context) => {
    assertPermission(context, 'subscribers.write');
    return renderHtml(
      context,
      <TechNewSubscriberPage
        shell={shell(context)}
        plans={await subscriberPlans(context, fetchApp)}
        draft={takeDraft(context)}
      />,
    );
  });

  routes.post('/subscribers', (context) =>
    withFormErrors(context, '/tech', async () => {
      const created = await callApi<SubscriberOutput & { password?: string }>(
        context,
        fetchApp,
        'POST',
        '/api/v1/subscribers',
        subscriberInputOf(await formFields(context)),
      );
      const plans = await subscriberPlans(context, fetchApp);
      const { password, ...subscriber } = created;
      const planName = plans.find((plan) => plan.id === subscriber.planId)?.name ?? '';
      return renderHtml(
        context,
        <TechNewSubscriberPage
          shell={{ ...shell(context), currentPath: '/tech' }}
          plans={plans}
          created={{ subscriber, planName, generatedPassword: password ?? null }}
        />,
        201,
      );
    }),
  );

  routes.get('/subscribers', async (context) => {
    assertPermission(context, 'subscribers.read');
    const query = { cursor: context.req.query('cursor'), q: context.req.query('q')?.trim() || undefined };
    const [page, plans] = await Promise.all([
      callApi<Page<SubscriberOutput>>(
        context,
        fetchApp,
        'GET',
        withQuery('/api/v1/subscribers', { ...query, limit: CONSOLE_PAGE_SIZE }),
      ),
      callApi<Page<PlanOutput>>(context, fetchApp, 'GET', '/api/v1/plans?limit=200'),
    ]);
    return renderHtml(
      context,
      <TechSearchPage
        shell={shell(context)}
        subscribers={page.items}
        planNames={new Map(plans.items.map((plan) => [plan.id, plan.name]))}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });

  routes.all('*', (context) => context.redirect('/tech', 303));
  return routes;
}
