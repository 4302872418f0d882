// The "forgot password" pages of every kind of account: ask for a link, then choose a new password.
import { FlashBox, type FlashMessage } from '../../console/components';
import { Document } from '../../console/layout';
import { themeCss } from '../../console/styles';
import { PASSWORD_LENGTH_MIN } from '../passwords';

export function ForgotPasswordPage(props: { email: string; flash: FlashMessage | null }) {
  return (
    <Document title="Forgot password · Kiunga" themeCss={themeCss(null)}>
      <div class="login">
        <h1>Forgot your password?</h1>
        <FlashBox flash={props.flash} />
        <form method="post" action="/forgot-password" class="card">
          <p>
            Type the email you sign in with. If it is an account's, a link to choose a new password goes
            there.
          </p>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email} />
          <button type="submit">Send me a link</button>
        </form>
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </div>
    </Document>
  );
}

export function ResetPasswordPage(props: { token: string; flash: FlashMessage | null }) {
  return (
    <Document title="Choose a new password · Kiunga" themeCss={themeCss(null)}>
      <div class="login">
        <h1>Choose a new password</h1>
        <FlashBox flash={props.flash} />
        <form method="post" action="/reset-password" class="card">
          <input type="hidden" name="token" value={props.token} />
          <label for="password">New password (at least {PASSWORD_LENGTH_MIN} characters)</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="new-password"
            minlength={PASSWORD_LENGTH_MIN}
            required
          />
          <button type="submit">Set the new password</button>
        </form>
        <p>
          <a href="/forgot-password">Ask for a new link</a>
        </p>
      </div>
    </Document>
  );
}
