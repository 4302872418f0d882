// /password: where an account whose password a superior set (reset, or a generated one at creation)
// chooses its own before any other console page opens; acts through POST /api/v1/auth/password.
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import { themeCss } from '../../console/styles';
import {
  type AppFetch,
  consoleErrorHandler,
  loadTenantShellFacts,
  redirectWithFlash,
  renderHtml,
  takeFlash,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { submitPasswordChangeForm } from '../account/console';
import { RequiredPasswordChangePage } from '../account/views';
import { authenticateConsole, consoleHomePath, PASSWORD_CHANGE_PATH } from '../console-sessions';

/** ISP accounts see their ISP's name and colours; platform accounts the Kiunga frame. No tabs: nothing else opens yet. */
function passwordPageShell(context: Context<AppEnv>, dependencies: ApiDependencies): ConsoleShell {
  const principal = context.get('principal');
  if (principal.tenantId !== null) return tenantShell(context, dependencies, []);
  return {
    brandName: 'Kiunga',
    logo: null,
    themeCss: themeCss(null),
    nav: [],
    currentPath: context.req.path,
    csrfToken: context.get('csrfToken') ?? '',
    flash: takeFlash(context),
    accountEmail: principal.email,
  };
}

/** Mount at PASSWORD_CHANGE_PATH. */
export function requiredPasswordChangeRoutes(
  dependencies: ApiDependencies,
  fetchApp: AppFetch,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.onError(consoleErrorHandler(dependencies));
  routes.use('*', authenticateConsole(dependencies, { loginPath: '/login', isPasswordChangePage: true }));
  routes.use('*', async (context, next) => {
    await loadTenantShellFacts(context, dependencies);
    await next();
  });
  // Nothing to do here once the password is the user's own.
  routes.use('*', async (context, next) => {
    const principal = context.get('principal');
    if (!principal.mustChangePassword) return context.redirect(consoleHomePath(principal), 303);
    await next();
  });

  routes.get('/', (context) =>
    renderHtml(
      context,
      <RequiredPasswordChangePage
        shell={passwordPageShell(context, dependencies)}
        action={PASSWORD_CHANGE_PATH}
        email={context.get('principal').email ?? ''}
      />,
    ),
  );

  routes.post('/', (context) =>
    withFormErrors(
      context,
      PASSWORD_CHANGE_PATH,
      async () => {
        await submitPasswordChangeForm(context, fetchApp);
        // This session goes on: straight to the console.
        const home = consoleHomePath(context.get('principal'));
        return redirectWithFlash(context, home, 'ok', 'Password changed. It is your own now.');
      },
      [403],
    ),
  );

  return routes;
}
