// "My account" pages of the ISP and platform consoles: change password and two-factor sign-in,
// acting through /api/v1/auth/password and /api/v1/auth/totp/* in-process as the signed-in user.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  formFields,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { isOwnTotpEnabled, isTotpOffered } from './service';
import { AccountPage, type TotpSetup } from './views';

export interface AccountRoutesOptions {
  /** Console path, e.g. /isp/account. */
  basePath: string;
  shell: (context: Context<AppEnv>) => ConsoleShell;
}

/**
 * The shared "change password" form (current, new, new again) posted to POST /api/v1/auth/password
 * as the signed-in user; throws the API's error (wrong current password, too short) for the form.
 */
export async function submitPasswordChangeForm(context: Context<AppEnv>, fetchApp: AppFetch): Promise<void> {
  const fields = await formFields(context);
  if ((fields.newPassword ?? '') !== (fields.repeatPassword ?? ''))
    throw new KiungaError('validation_failed', 'The two new passwords differ.');
  await callApi(context, fetchApp, 'POST', '/api/v1/auth/password', {
    currentPassword: fields.currentPassword ?? '',
    newPassword: fields.newPassword ?? '',
  });
}

/** The ISP console's "My account" (/isp/account), relative to /isp (mount with `routes.route('/', …)`). */
export function ispAccountRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  return ownAccountRoutes(dependencies, fetchApp, {
    basePath: '/isp/account',
    shell: (context) => tenantShell(context, dependencies, ISP_NAV),
  });
}

/** Routes relative to the console root (mount with `routes.route('/', …)`). */
export function ownAccountRoutes(
  dependencies: ApiDependencies,
  fetchApp: AppFetch,
  options: AccountRoutesOptions,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const consoleRoot = `/${options.basePath.split('/')[1] ?? ''}`;
  const local = options.basePath.slice(consoleRoot.length);

  const render = async (context: Context<AppEnv>, totpSetup: TotpSetup | null, error?: string) => {
    const principal = context.get('principal');
    const shell = options.shell(context);
    // The API has no read of one's own TOTP state: the page asks the account service directly.
    const isEnabled = await isOwnTotpEnabled(dependencies, principal.id);
    return renderHtml(
      context,
      <AccountPage
        shell={error ? { ...shell, flash: { kind: 'error', text: error } } : shell}
        basePath={options.basePath}
        email={principal.email ?? ''}
        isTotpOffered={isTotpOffered(principal.kind)}
        isTotpEnabled={isEnabled}
        totpSetup={totpSetup}
      />,
      error ? 400 : 200,
    );
  };

  routes.get(local, (context) => render(context, null));

  routes.post(`${local}/password`, (context) =>
    withFormErrors(
      context,
      options.basePath,
      async () => {
        await submitPasswordChangeForm(context, fetchApp);
        // The API ended every other session of the account; this one goes on.
        return redirectWithFlash(
          context,
          options.basePath,
          'ok',
          'Password changed. Every other session of your account was signed out.',
        );
      },
      [403, 429],
    ),
  );

  routes.post(`${local}/totp/setup`, (context) =>
    withFormErrors(context, options.basePath, async () => {
      const setup = await callApi<TotpSetup>(context, fetchApp, 'POST', '/api/v1/auth/totp/setup');
      return render(context, setup);
    }),
  );

  routes.post(`${local}/totp/confirm`, async (context) => {
    const fields = await formFields(context);
    try {
      await callApi(context, fetchApp, 'POST', '/api/v1/auth/totp/confirm', {
        code: fields.code?.replace(/\s/g, '') ?? '',
        currentPassword: fields.currentPassword ?? '',
      });
    } catch (error) {
      if (!(error instanceof KiungaError) || ![400, 403, 429].includes(error.httpStatus)) throw error;
      // Show the same key again so the user can retry with a fresh code (or the right password).
      const setup = { secret: fields.setupSecret ?? '', otpauthUrl: fields.setupUrl ?? '' };
      return render(context, setup.secret ? setup : null, error.message);
    }
    return redirectWithFlash(
      context,
      options.basePath,
      'ok',
      'Two-factor sign-in is on. Every other session of your account was signed out.',
    );
  });

  routes.post(`${local}/totp/disable`, (context) =>
    withFormErrors(
      context,
      options.basePath,
      async () => {
        const fields = await formFields(context);
        await callApi(context, fetchApp, 'POST', '/api/v1/auth/totp/disable', {
          code: fields.code?.replace(/\s/g, '') ?? '',
          currentPassword: fields.currentPassword ?? '',
        });
        return redirectWithFlash(
          context,
          options.basePath,
          'ok',
          'Two-factor sign-in is off. Every other session of your account was signed out.',
        );
      },
      [403, 429],
    ),
  );

  return routes;
}
