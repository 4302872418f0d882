// "My account" pages of the ISP and platform consoles: change password and two-factor sign-in,
// acting through /api/v1/auth/password and /api/v1/auth/totp/* in-process as the signed-in user.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ConsoleShell } from '../../console/layout';
import {
  type AppFetch,
  callApi,
  formFields,
  redirectWithFlash,
  renderHtml,
  withFormErrors,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import type { PrincipalKind } from '../permissions';
import { AccountPage, type TotpSetup } from './views';

/** The kinds the API offers TOTP to (routes/auth.ts); other accounts see only the password form. */
const TOTP_KINDS: ReadonlySet<PrincipalKind> = new Set(['super_admin', 'platform_staff', 'isp_owner']);

export interface AccountRoutesOptions {
  /** Console path, e.g. /isp/account. */
  basePath: string;
  shell: (context: Context<AppEnv>) => ConsoleShell;
}

/**
 * The shared "change password" form (current, new, new again) posted to POST /api/v1/auth/password
 * as the signed-in user; throws the API's error (wrong current password, too short) for the form.
 */
export async function changeOwnPassword(context: Context<AppEnv>, fetchApp: AppFetch): Promise<void> {
  const fields = await formFields(context);
  if ((fields.newPassword ?? '') !== (fields.repeatPassword ?? ''))
    throw new KiungaError('validation_failed', 'The two new passwords differ.');
  await callApi(context, fetchApp, 'POST', '/api/v1/auth/password', {
    currentPassword: fields.currentPassword ?? '',
    newPassword: fields.newPassword ?? '',
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
  // The API has no read of one's own TOTP state; it is one column of the account's own row.
  const isTotpEnabled = async (userId: string): Promise<boolean> => {
    const row = await dependencies.databases.platform.get(
      'SELECT 1 AS found FROM users WHERE id = ? AND totp_enabled_at IS NOT NULL',
      [userId],
    );
    return row !== undefined;
  };

  const render = async (context: Context<AppEnv>, totpSetup: TotpSetup | null, error?: string) => {
    const principal = context.get('principal');
    const shell = options.shell(context);
    const isEnabled = await isTotpEnabled(principal.id);
    return renderHtml(
      context,
      <AccountPage
        shell={error ? { ...shell, flash: { kind: 'error', text: error } } : shell}
        basePath={options.basePath}
        email={principal.email ?? ''}
        isTotpOffered={TOTP_KINDS.has(principal.kind)}
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
        await changeOwnPassword(context, fetchApp);
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
