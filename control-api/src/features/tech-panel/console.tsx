// Technician panel pages (/tech), branded as the ISP; subscribers are created through the API in-process;
// client chats (/tech/chat) are the ISP console's chat pages in the panel's shell.
// "My account" (/tech/account) is the consoles' own account page (console-account.tsx).
import type { SubscriberOutput } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { TECH_NAV } from '../../console/isp-nav';
import { createSubscriberFromForm, planNamesOf, subscriberPlans } from '../../console/subscriber-forms';
import {
  type AppFetch,
  assertPermission,
  callApiPage,
  consoleAccess,
  consoleErrorHandler,
  pageQuery,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import { ownAccountRoutes } from '../../identity/account/console';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { ispChatRoutes } from '../chat/console';
import { cpePageRoutes } from '../cpes/console';
import { diagnosticsPageRoutes } from '../diagnostics/console';
import { TechNewSubscriberPage, TechSearchPage } from './views';

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
      const { plans, created } = await createSubscriberFromForm(context, fetchApp);
      return renderHtml(
        context,
        <TechNewSubscriberPage
          shell={{ ...shell(context), currentPath: '/tech' }}
          plans={plans}
          created={created}
        />,
        201,
      );
    }),
  );

  routes.get('/subscribers', async (context) => {
    assertPermission(context, 'subscribers.read');
    const query = pageQuery(context, ['q']);
    const [page, planNames] = await Promise.all([
      callApiPage<SubscriberOutput>(context, fetchApp, '/api/v1/subscribers', query),
      planNamesOf(context, fetchApp),
    ]);
    return renderHtml(
      context,
      <TechSearchPage
        shell={shell(context)}
        subscribers={page.items}
        planNames={planNames}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });

  routes.route('/', diagnosticsPageRoutes(fetchApp, { consolePath: '/tech', shell }));
  routes.route('/', cpePageRoutes(fetchApp, { consolePath: '/tech', shell }));
  // Read-only for a technician unless a role grants chat.reply: the pages follow the permission.
  routes.route('/', ispChatRoutes(fetchApp, shell, '/tech'));
  routes.route('/', ownAccountRoutes(dependencies, fetchApp, { basePath: '/tech/account', shell }));

  routes.all('*', (context) => context.redirect('/tech', 303));
  return routes;
}
