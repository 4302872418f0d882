// Role editor pages shared by the ISP console (/isp/roles → /api/v1/roles) and the platform console
// (/platform/roles → /api/v1/platform/roles); every read and change goes through the API in-process.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  callApi,
  formFields,
  formValues,
  redirectWithFlash,
  renderHtml,
  takeDraft,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import { grantablePermissions, ispPermissions, type Permission } from '../permissions';
import { RoleEditPage, RolesPage, type RoleView } from './views';

export interface RolePagesOptions {
  /** Console path, e.g. /isp/roles. */
  basePath: string;
  /** API prefix: /api/v1 or /api/v1/platform. */
  apiPrefix: string;
  catalogue: readonly string[];
  managePermission: Permission;
  shell: (context: Context<AppEnv>) => ConsoleShell;
}

/** The ISP console's role editor (/isp/roles), relative to /isp (mount with `routes.route('/', …)`). */
export function ispRoleRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  return rolePageRoutes(fetchApp, {
    basePath: '/isp/roles',
    apiPrefix: '/api/v1',
    catalogue: ispPermissions,
    managePermission: 'staff.manage',
    shell: (context) => tenantShell(context, dependencies, ISP_NAV),
  });
}

/** Routes relative to the console root (mount with `routes.route('/', …)`). */
export function rolePageRoutes(fetchApp: AppFetch, options: RolePagesOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const consoleRoot = `/${options.basePath.split('/')[1] ?? ''}`;
  const local = options.basePath.slice(consoleRoot.length);
  const api = <Result,>(
    context: Context<AppEnv>,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ) => callApi<Result>(context, fetchApp, method, `${options.apiPrefix}/roles${path}`, body);
  const grantableOf = (context: Context<AppEnv>) =>
    grantablePermissions(options.catalogue, context.get('principal').permissions);
  const roleInputOf = async (context: Context<AppEnv>) => ({
    name: (await formFields(context)).name?.trim() ?? '',
    permissions: await formValues(context, 'permissions'),
  });

  routes.get(local, async (context) => {
    assertPermission(context, options.managePermission);
    const draft = takeDraft(context);
    const roles = await api<Page<RoleView>>(context, 'GET', '');
    return renderHtml(
      context,
      <RolesPage
        shell={options.shell(context)}
        basePath={options.basePath}
        roles={roles.items}
        catalogue={options.catalogue}
        grantable={grantableOf(context)}
        draft={draft}
        draftPermissions={draft?.permissions?.split(',') ?? []}
      />,
    );
  });

  routes.post(local, (context) =>
    withFormErrors(
      context,
      options.basePath,
      async () => {
        const role = await api<RoleView>(context, 'POST', '', await roleInputOf(context));
        return redirectWithFlash(context, options.basePath, 'ok', `Role “${role.name}” created.`);
      },
      [403],
    ),
  );

  routes.get(`${local}/:id`, async (context) => {
    const role = await api<RoleView>(context, 'GET', `/${encodeURIComponent(context.req.param('id'))}`);
    if (role.isBuiltIn)
      return redirectWithFlash(context, options.basePath, 'error', 'Built-in roles are read-only.');
    return renderHtml(
      context,
      <RoleEditPage
        shell={options.shell(context)}
        basePath={options.basePath}
        role={role}
        catalogue={options.catalogue}
        grantable={grantableOf(context)}
      />,
    );
  });

  routes.post(`${local}/:id`, (context) => {
    const id = encodeURIComponent(context.req.param('id'));
    return withFormErrors(
      context,
      `${options.basePath}/${id}`,
      async () => {
        const role = await api<RoleView>(context, 'PATCH', `/${id}`, await roleInputOf(context));
        return redirectWithFlash(context, options.basePath, 'ok', `Role “${role.name}” saved.`);
      },
      [403],
    );
  });

  routes.post(`${local}/:id/delete`, (context) => {
    const id = encodeURIComponent(context.req.param('id'));
    return withFormErrors(
      context,
      `${options.basePath}/${id}`,
      async () => {
        await api<null>(context, 'DELETE', `/${id}`);
        return redirectWithFlash(context, options.basePath, 'ok', 'Role deleted.');
      },
      [403],
    );
  });

  return routes;
}
