// The one sign-in page of every kind of account (platform, ISP, technician).
import { FlashBox, type FlashMessage } from '../../console/components';
import { Document } from '../../console/layout';
import { themeCss } from '../../console/styles';

export interface LoginPageProps {
  csrfToken: string;
  email: string;
  next: string;
  flash: FlashMessage | null;
  isTotpRequested: boolean;
}

export function LoginPage(props: LoginPageProps) {
  return (
    <Document title="Sign in · Kiunga" themeCss={themeCss(null)}>
      <div class="login">
        <h1>Sign in to Kiunga</h1>
        <FlashBox flash={props.flash} />
        <form method="post" action="/login" class="card">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <input type="hidden" name="next" value={props.next} />
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email} />
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
          <label for="totp">
            Authenticator code {props.isTotpRequested ? '' : '(only if two-factor is on)'}
          </label>
          <input
            id="totp"
            name="totp"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9 ]{6,8}"
            autofocus={props.isTotpRequested}
            required={props.isTotpRequested}
          />
          <button type="submit">Sign in</button>
        </form>
        <p>
          <a href="/forgot-password">Forgot your password?</a>
        </p>
      </div>
    </Document>
  );
}
