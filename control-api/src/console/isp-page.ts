// What every ISP console page (/isp/...) builds on: the in-process API caller, the page shell and
// the size of the lookup lists behind dropdowns and name lookups.
import type { Context } from 'hono';
import type { ApiDependencies, AppEnv } from '../kernel/dependencies';
import { ISP_NAV } from './isp-nav';
import type { ConsoleShell } from './layout';
import { type AppFetch, callApi, tenantShell } from './support';

/** Lists behind dropdowns and name lookups (plans, routers): one API page is plenty for one ISP. */
export const LOOKUP_LIMIT = 200;

export type IspContext = Context<AppEnv>;

/** Calls the REST API in-process as the signed-in visitor (see callApi). */
export type IspApi = <Result>(
  context: IspContext,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
) => Promise<Result>;

export interface IspPageKit {
  api: IspApi;
  /** The ISP console's shell (its name, logo, colours and tabs) for this request. */
  shell: (context: IspContext) => ConsoleShell;
}

/** The API caller and shell an ISP console feature's pages share, bound to this app. */
export function ispPageKit(dependencies: ApiDependencies, fetchApp: AppFetch): IspPageKit {
  return {
    api: <Result>(
      context: IspContext,
      method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
      path: string,
      body?: unknown,
    ) => callApi<Result>(context, fetchApp, method, path, body),
    shell: (context) => tenantShell(context, dependencies, ISP_NAV),
  };
}
