// The one sign-in page of every kind of account (platform, ISP, technician).
import type { IspBranding } from '../../console/branded-page';
import { FlashBox, type FlashMessage } from '../../console/components';
import { Document } from '../../console/layout';
import { themeCss } from '../../console/styles';

export interface LoginPageProps {
  csrfToken: string;
  email: string;
  next: string;
  flash: FlashMessage | null;
  isTotpRequested: boolean;
  /** `/login/<slug>` (or an ISP's own domain): the ISP's name, logo and colours, for its staff and customers. */
  isp?: { slug: string; branding: IspBranding } | undefined;
}

export function LoginPage(props: LoginPageProps) {
  const isp = props.isp;
  return (
    <Document
      title={`Sign in · ${isp?.branding.name ?? 'Kiunga'}`}
      themeCss={themeCss(isp?.branding ?? null)}
    >
      <div class="login">
        {isp?.branding.logo ? <img src={isp.branding.logo} alt="" class="isp-logo" /> : null}
        <h1>Sign in to {isp?.branding.name ?? 'Kiunga'}</h1>
        <FlashBox flash={props.flash} />
        <form method="post" action={isp ? `/login/${isp.slug}` : '/login'} class="card">
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
        {isp ? (
          <p>
            Customer of {isp.branding.name}?{' '}
            <a href={`/account/${isp.slug}/login`}>Sign in to your account</a>
          </p>
        ) : null}
      </div>
    </Document>
  );
}
