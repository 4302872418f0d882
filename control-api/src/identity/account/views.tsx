// The signed-in account's own page (ISP and platform consoles, technician panel): change password,
// and two-factor sign-in (TOTP) setup with the secret shown as text and an otpauth:// link, confirm
// and disable. Also the page where an account whose password a superior set must choose its own.

import { CsrfField } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { PASSWORD_LENGTH_MIN } from '../passwords';

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
}

export function AccountPage(props: {
  shell: ConsoleShell;
  basePath: string;
  email: string;
  isTotpOffered: boolean;
  isTotpEnabled: boolean;
  totpSetup: TotpSetup | null;
}) {
  const { shell, basePath } = props;
  return (
    <Layout title="My account" shell={shell}>
      <h1>My account</h1>
      <p class="muted">
        Signed in as <b>{props.email}</b>
      </p>
      {props.isTotpOffered ? (
        <section class="card" data-totp={props.isTotpEnabled ? 'on' : 'off'}>
          <h2>Two-factor sign-in</h2>
          {props.isTotpEnabled ? (
            <>
              <p>
                <b>On.</b> Signing in asks for a code from your authenticator app.
              </p>
              <form method="post" action={`${basePath}/totp/disable`}>
                <CsrfField token={shell.csrfToken} />
                <CurrentPasswordField id="disablePassword" />
                <label for="disableCode">Code from your app, to turn it off</label>
                <input id="disableCode" name="code" inputmode="numeric" pattern="[0-9]{6}" required />
                <button type="submit" class="danger">
                  Turn off two-factor
                </button>
              </form>
            </>
          ) : props.totpSetup ? (
            <TotpSetupForm basePath={basePath} csrfToken={shell.csrfToken} setup={props.totpSetup} />
          ) : (
            <>
              <p>
                Off. Add a code from an authenticator app (Google Authenticator, Aegis, …) to every sign-in.
              </p>
              <form method="post" action={`${basePath}/totp/setup`}>
                <CsrfField token={shell.csrfToken} />
                <button type="submit">Set up two-factor sign-in</button>
              </form>
            </>
          )}
        </section>
      ) : null}
      <section class="card">
        <h2>Change password</h2>
        <PasswordChangeForm
          action={`${basePath}/password`}
          csrfToken={shell.csrfToken}
          currentLabel="Current password"
          note="Every session of this account is signed out; you sign in again with the new one."
        />
      </section>
    </Layout>
  );
}

/** The form posting currentPassword, newPassword and repeatPassword (checked equal by the route). */
function PasswordChangeForm(props: {
  action: string;
  csrfToken: string;
  currentLabel: string;
  note: string;
}) {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      <label for="currentPassword">{props.currentLabel}</label>
      <input
        id="currentPassword"
        name="currentPassword"
        type="password"
        required
        autocomplete="current-password"
      />
      <label for="newPassword">New password (at least {PASSWORD_LENGTH_MIN} characters)</label>
      <input
        id="newPassword"
        name="newPassword"
        type="password"
        required
        minlength={PASSWORD_LENGTH_MIN}
        autocomplete="new-password"
      />
      <label for="repeatPassword">New password again</label>
      <input
        id="repeatPassword"
        name="repeatPassword"
        type="password"
        required
        minlength={PASSWORD_LENGTH_MIN}
        autocomplete="new-password"
      />
      <p class="muted">{props.note}</p>
      <button type="submit">Change password</button>
    </form>
  );
}

/** Shown instead of every console page until an account whose password a superior set picks its own. */
export function RequiredPasswordChangePage(props: { shell: ConsoleShell; action: string; email: string }) {
  return (
    <Layout title="Choose your new password" shell={props.shell}>
      <h1>Choose your new password</h1>
      <section class="card" data-password-change-required>
        <p>
          The password of <b>{props.email}</b> was set by someone else. Choose your own before you go on.
        </p>
        <PasswordChangeForm
          action={props.action}
          csrfToken={props.shell.csrfToken}
          currentLabel="Temporary (current) password"
          note="You stay signed in; next time, sign in with the new password."
        />
      </section>
    </Layout>
  );
}

/** Turning two-factor on or off asks for the password too: a session left open is not enough. */
function CurrentPasswordField(props: { id: string }) {
  return (
    <>
      <label for={props.id}>Current password</label>
      <input id={props.id} name="currentPassword" type="password" required autocomplete="current-password" />
    </>
  );
}

function TotpSetupForm(props: { basePath: string; csrfToken: string; setup: TotpSetup }) {
  return (
    <>
      <p>
        In your authenticator app, add an account with this key (or open the link on your phone), then enter
        the six-digit code it shows.
      </p>
      <p class="secret mono" data-totp-secret>
        {props.setup.secret}
      </p>
      <p>
        <a href={props.setup.otpauthUrl} data-otpauth-url class="mono" style="word-break:break-all">
          {props.setup.otpauthUrl}
        </a>
      </p>
      <form method="post" action={`${props.basePath}/totp/confirm`}>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="setupSecret" value={props.setup.secret} />
        <input type="hidden" name="setupUrl" value={props.setup.otpauthUrl} />
        <CurrentPasswordField id="confirmPassword" />
        <label for="confirmCode">Code from your app</label>
        <input
          id="confirmCode"
          name="code"
          inputmode="numeric"
          pattern="[0-9]{6}"
          autocomplete="one-time-code"
          required
        />
        <button type="submit">Turn on two-factor</button>
      </form>
    </>
  );
}
