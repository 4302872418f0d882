// Audit log pages of the ISP console (/isp/audit) and the platform console (/platform/audit),
// read through the audit API in-process as the signed-in user.
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  assertPermission,
  CONSOLE_PAGE_SIZE,
  callApi,
  pageQuery,
  renderHtml,
  withQuery,
} from '../../console/support';
import type { Permission } from '../../identity/permissions';
import type { AppEnv } from '../../kernel/dependencies';
import type { Page } from '../../kernel/pagination';
import { type AuditEntry, AuditPage } from './views';

/** Accounts looked up to name the actors of a page: the API's largest page. */
const ACTOR_LOOKUP_LIMIT = 200;

export interface AuditPagesOptions {
  /** Console path of the page, e.g. /isp/audit (routes are mounted under the console). */
  path: string;
  /** API prefix: /api/v1 or /api/v1/platform. */
  apiPrefix: string;
  permission: Permission;
  /** Who may list the scope's accounts; they see actors by email, others by id (themselves as "you"). */
  accountsPermission: Permission;
  shell: (context: Context<AppEnv>) => ConsoleShell;
}

/** The audit page, relative to the console root. */
export function auditPageRoutes(fetchApp: AppFetch, options: AuditPagesOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const consoleRoot = `/${options.path.split('/')[1] ?? ''}`;
  const api = <Result,>(context: Context<AppEnv>, path: string) =>
    callApi<Result>(context, fetchApp, 'GET', `${options.apiPrefix}${path}`);

  routes.get(options.path.slice(consoleRoot.length) || '/', async (context) => {
    assertPermission(context, options.permission);
    const query = pageQuery(context, ['action']);
    const page = await api<Page<AuditEntry>>(
      context,
      withQuery('/audit', { limit: CONSOLE_PAGE_SIZE, cursor: query.cursor, action: query.action }),
    );
    const principal = context.get('principal');
    const actorNames = new Map<string, string>([[principal.id, principal.email ?? 'you']]);
    if (principal.permissions.has(options.accountsPermission)) {
      const accounts = await api<Page<{ id: string; email: string }>>(
        context,
        `/users?limit=${ACTOR_LOOKUP_LIMIT}`,
      );
      for (const account of accounts.items) actorNames.set(account.id, account.email);
    }
    return renderHtml(
      context,
      <AuditPage
        shell={options.shell(context)}
        basePath={options.path}
        entries={page.items}
        actorNames={actorNames}
        nextCursor={page.nextCursor}
        query={query}
      />,
    );
  });
  return routes;
}
