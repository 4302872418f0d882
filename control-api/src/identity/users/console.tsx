// Account pages shared by the ISP console (staff, technicians at /isp/staff: /api/v1/users) and the
// platform console (sub-admins at /platform/admins: /api/v1/platform/users), through the API in-process.
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  formFields,
  optionalText,
  pageQuery,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
  withQuery,
} from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import type { Permission } from '../permissions';
import { type AccountRow, AccountsPage, type RoleOption } from './views';

export interface AccountPagesOptions {
  title: string;
  /** Console path, e.g. /isp/staff (relative paths below are mounted under the console). */
  basePath: string;
  /** API prefix: /api/v1 or /api/v1/platform. */
  apiPrefix: string;
  kinds: string[];
  managePermission: Permission;
  shell: (context: Context<AppEnv>) => ConsoleShell;
}

/** Routes relative to the console root: the `<basePath>` pages. */
export function accountPageRoutes(fetchApp: AppFetch, options: AccountPagesOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const consoleRoot = `/${options.basePath.split('/')[1] ?? ''}`;
  const local = (path: string) => path.slice(consoleRoot.length) || '/';
  const api = <Result,>(
    context: Context<AppEnv>,
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body?: unknown,
  ) => callApi<Result>(context, fetchApp, method, `${options.apiPrefix}${path}`, body);

  const renderAccounts = async (
    context: Context<AppEnv>,
    created: { email: string; temporaryPassword: string | null; isReset?: boolean } | null,
  ) => {
    assertPermission(context, options.managePermission);
    const query = pageQuery(context, []);
    const [page, roles] = await Promise.all([
      api<Page<AccountRow>>(
        context,
        'GET',
        withQuery('/users', { limit: CONSOLE_PAGE_SIZE, cursor: query.cursor }),
      ),
      api<Page<RoleOption>>(context, 'GET', '/roles'),
    ]);
    return renderHtml(
      context,
      <AccountsPage
        shell={options.shell(context)}
        title={options.title}
        basePath={options.basePath}
        accounts={page.items}
        roles={roles.items}
        kinds={options.kinds}
        created={created}
        nextCursor={page.nextCursor}
        query={query}
      />,
      created && !created.isReset ? 201 : 200,
    );
  };

  routes.get(local(options.basePath), (context) => renderAccounts(context, null));

  routes.post(local(options.basePath), (context) =>
    withFormErrors(context, options.basePath, async () => {
      const fields = await formFields(context);
      const password = optionalText(fields, 'password');
      const created = await api<AccountRow & { temporaryPassword?: string }>(context, 'POST', '/users', {
        email: fields.email?.trim() ?? '',
        displayName: fields.displayName?.trim() ?? '',
        kind: fields.kind ?? '',
        roleId: fields.roleId ?? '',
        ...(password ? { password } : {}),
      });
      return renderAccounts(context, {
        email: created.email,
        temporaryPassword: created.temporaryPassword ?? null,
      });
    }),
  );

  routes.post(`${local(options.basePath)}/:id/status`, (context) =>
    withFormErrors(context, options.basePath, async () => {
      const fields = await formFields(context);
      const status = fields.status === 'disabled' ? 'disabled' : 'active';
      const account = await api<AccountRow>(
        context,
        'PATCH',
        `/users/${encodeURIComponent(context.req.param('id'))}`,
        {
          status,
        },
      );
      return redirectWithFlash(context, options.basePath, 'ok', `${account.email} is now ${account.status}.`);
    }),
  );

  routes.post(`${local(options.basePath)}/:id/role`, (context) =>
    withFormErrors(
      context,
      options.basePath,
      async () => {
        const fields = await formFields(context);
        const account = await api<AccountRow>(
          context,
          'PATCH',
          `/users/${encodeURIComponent(context.req.param('id'))}`,
          { roleId: fields.roleId ?? '' },
        );
        return redirectWithFlash(context, options.basePath, 'ok', `${account.email} has a new role.`);
      },
      [403],
    ),
  );

  routes.post(`${local(options.basePath)}/:id/reset-password`, (context) =>
    withFormErrors(
      context,
      options.basePath,
      async () => {
        const id = encodeURIComponent(context.req.param('id'));
        const account = await api<AccountRow>(context, 'GET', `/users/${id}`);
        const reset = await api<{ temporaryPassword?: string }>(
          context,
          'POST',
          `/users/${id}/reset-password`,
          {},
        );
        return renderAccounts(context, {
          email: account.email,
          temporaryPassword: reset.temporaryPassword ?? null,
          isReset: true,
        });
      },
      [403],
    ),
  );

  return routes;
}

/** The ISP console's staff and technician accounts (/isp/staff). */
export function staffPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  return accountPageRoutes(fetchApp, {
    title: 'Staff and technicians',
    basePath: '/isp/staff',
    apiPrefix: '/api/v1',
    kinds: ['technician', 'isp_staff'],
    managePermission: 'staff.manage',
    shell,
  });
}

/** The platform console's sub-admin accounts (/platform/admins). */
export function subAdminPageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  return accountPageRoutes(fetchApp, {
    title: 'Sub-admins',
    basePath: '/platform/admins',
    apiPrefix: '/api/v1/platform',
    kinds: ['platform_staff'],
    managePermission: 'platform_users.manage',
    shell,
  });
}
