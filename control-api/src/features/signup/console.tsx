// The front door's pages (issue 15): GET / (landing), the sign-up form, the "confirm your phone and
// email" page with its POSTs, the emailed link, and the live short-name check. Public; the form is
// guarded by a double-submit CSRF cookie, the verify page by the new owner's console session.
import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { FlashMessage } from '../../console/components';
import { formFields, redirectWithFlash, renderHtml, takeFlash } from '../../console/support';
import { type Language, pageLanguageOf, t } from '../../i18n';
import {
  cookieSessionPrincipal,
  hasValidCsrfToken,
  startCookieSession,
} from '../../identity/console-sessions';
import { assertNotLimited, identityLimiters } from '../../identity/login-limits';
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from '../../identity/passwords';
import { isSameSecret, randomSecret } from '../../identity/secrets';
import { EMAIL_TAKEN_MESSAGE } from '../../identity/users/service';
import { sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { newTenantOfRegistration, registrationSchema } from '../tenants/registration-api';
import { readEmailToken } from './core';
import type { SlugAvailability } from './core/slug';
import { phoneRefusalText } from './messages';
import {
  sendSignupCode,
  signupProgress,
  slugAvailabilityOf,
  startWebSignup,
  verifySignupEmail,
  verifySignupPhone,
} from './service';
import { isSignupPending } from './store';
import {
  type FrontLanguage,
  LandingPage,
  SIGNUP_PAY_PATH,
  type SignupField,
  type SignupFormValues,
  SignupPage,
  SignupPendingPage,
  SignupVerifyPage,
} from './views';

/**
 * The front door's language: `?lang=` (kept in the `lang` cookie the portals use too), that cookie,
 * Accept-Language; English otherwise (no ISP is involved yet, so no ISP default).
 */
export function frontLanguageOf(context: Context): FrontLanguage {
  return pageLanguageOf(context, null);
}

/** The form field's refusal in the page's language (the schema's own messages are English). */
function fieldRefusal(field: SignupField, language: Language): string {
  return field === 'password'
    ? t(language, 'signup.invalid.password', { min: PASSWORD_LENGTH_MIN, max: PASSWORD_LENGTH_MAX })
    : t(language, `signup.invalid.${field}`);
}

/** The live check's answer, its reason said in `language` (the form's status line words it itself). */
function localisedAvailability(availability: SlugAvailability, language: Language): SlugAvailability {
  return availability.isAvailable
    ? availability
    : { ...availability, message: t(language, `signup.slug.${availability.reason}`) };
}

/** Sign-up CSRF (double submit): the form's token must match this cookie, as on /login. */
const SIGNUP_CSRF_COOKIE_NAME = 'kiunga_signup_csrf';
const SIGNUP_CSRF_MAX_AGE_SECONDS = 3_600;
const VERIFY_PATH = '/signup/verify';
/** Typed text is cut to this before it is shown again (the schema refuses longer anyway). */
const FIELD_ECHO_CHARS_MAX = 254;

/** registrationSchema's field → the form's field. */
const FORM_FIELD_OF: Readonly<Record<string, SignupField>> = {
  ispName: 'ispName',
  slug: 'slug',
  ownerName: 'ownerName',
  ownerEmail: 'email',
  ownerPassword: 'password',
  phone: 'phone',
  tier: 'tier',
  featureChoice: 'featureChoice',
};

function formValuesOf(fields: Record<string, string>): Partial<SignupFormValues> {
  const echo = (name: string) => (fields[name] ?? '').slice(0, FIELD_ECHO_CHARS_MAX);
  const tier = echo('tier');
  const featureChoice = echo('featureChoice');
  return {
    ispName: echo('ispName'),
    slug: echo('slug'),
    ownerName: echo('ownerName'),
    email: echo('email'),
    phone: echo('phone'),
    tier: tier === 'tier1' || tier === 'tier2' ? tier : '',
    featureChoice: featureChoice === 'hotspot' || featureChoice === 'pppoe' ? featureChoice : '',
  };
}

export function signupPages(dependencies: ApiDependencies): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  const renderSignup = (
    context: Context<AppEnv>,
    props: Omit<Parameters<typeof SignupPage>[0], 'csrfToken' | 'front'>,
    status = 200,
  ) => {
    const csrfToken = getCookie(context, SIGNUP_CSRF_COOKIE_NAME) ?? randomSecret(24);
    setCookie(context, SIGNUP_CSRF_COOKIE_NAME, csrfToken, {
      path: '/signup',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: SIGNUP_CSRF_MAX_AGE_SECONDS,
    });
    return renderHtml(
      context,
      <SignupPage csrfToken={csrfToken} front={frontLanguageOf(context)} {...props} />,
      status,
    );
  };

  /** The signed-in owner's sign-up, or null (then the caller sends them to sign in). */
  const ownerSignup = async (context: Context<AppEnv>) => {
    const session = await cookieSessionPrincipal(dependencies, context);
    if (!session) return null;
    const tenantId = session.principal.tenantId;
    if (session.principal.kind !== 'isp_owner' || tenantId === null) return null;
    const progress = await signupProgress(dependencies, tenantId);
    return progress ? { tenantId, csrfToken: session.csrfToken, progress } : null;
  };

  routes.get('/', (context) => renderHtml(context, <LandingPage front={frontLanguageOf(context)} />));

  routes.get('/signup', (context) => renderSignup(context, { flash: takeFlash(context) }));

  routes.get('/signup/slug-availability', async (context) =>
    context.json(
      localisedAvailability(
        await slugAvailabilityOf(dependencies, context.req.query('slug') ?? ''),
        frontLanguageOf(context).language,
      ),
    ),
  );

  routes.post('/signup', async (context) => {
    const fields = await formFields(context);
    const values = formValuesOf(fields);
    const { language } = frontLanguageOf(context);
    const expected = getCookie(context, SIGNUP_CSRF_COOKIE_NAME);
    if (!expected || !isSameSecret(expected, fields._csrf ?? '')) {
      const flash: FlashMessage = { kind: 'error', text: t(language, 'signup.refused.formExpired') };
      return renderSignup(context, { values, flash }, 403);
    }
    if (fields.intent === 'check-slug') {
      const slugAvailability = await slugAvailabilityOf(dependencies, fields.slug ?? '');
      return renderSignup(context, { values, slugAvailability });
    }
    const limiter = identityLimiters(dependencies).registrationsPerAddress;
    const address = sourceAddressOf(context, dependencies) ?? 'unknown';
    const nowMs = dependencies.clock.now();
    try {
      await assertNotLimited(context, limiter, address, nowMs);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      const text = t(language, 'signup.refused.tooManySignups');
      return renderSignup(context, { values, flash: { kind: 'error', text } }, 429);
    }
    await limiter.record(address, nowMs);
    const parsed = registrationSchema.safeParse({
      ispName: fields.ispName,
      slug: fields.slug,
      ownerEmail: fields.email,
      ownerPassword: fields.password,
      ownerName: fields.ownerName || undefined,
      phone: fields.phone,
      tier: fields.tier,
      featureChoice: fields.tier === 'tier1' ? fields.featureChoice : undefined,
    });
    if (!parsed.success) {
      const errors: Partial<Record<SignupField, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = FORM_FIELD_OF[String(issue.path[0])];
        if (field && !errors[field]) errors[field] = fieldRefusal(field, language);
      }
      return renderSignup(context, { values, errors }, 400);
    }
    let ownerId: string;
    try {
      ({ ownerId } = await startWebSignup(dependencies, context, newTenantOfRegistration(parsed.data)));
    } catch (error) {
      if (!(error instanceof KiungaError) || error.code !== 'conflict') throw error;
      const isEmailTaken = error.message === EMAIL_TAKEN_MESSAGE;
      const errors = isEmailTaken
        ? { email: t(language, 'signup.refused.emailTaken') }
        : { slug: t(language, 'signup.refused.slugTaken') };
      return renderSignup(context, { values, errors }, 409);
    }
    await startCookieSession(dependencies, context, ownerId);
    return context.redirect(VERIFY_PATH, 303);
  });

  routes.get(VERIFY_PATH, async (context) => {
    const signup = await ownerSignup(context);
    if (!signup) return context.redirect(`/login?next=${encodeURIComponent(VERIFY_PATH)}`, 303);
    const { progress } = signup;
    const front = frontLanguageOf(context);
    if (progress.verification.phone === 'verified' && progress.verification.email === 'verified')
      return redirectWithFlash(context, '/isp', 'ok', t(front.language, 'signup.verify.welcome'));
    return renderHtml(
      context,
      <SignupVerifyPage
        csrfToken={signup.csrfToken}
        phone={progress.phone}
        email={progress.email}
        verification={progress.verification}
        flash={takeFlash(context)}
        front={front}
      />,
    );
  });

  routes.post('/signup/verify-phone', async (context) => {
    const signup = await ownerSignup(context);
    if (!signup || !(await hasValidCsrfToken(context, signup.csrfToken)))
      return context.redirect(`/login?next=${encodeURIComponent(VERIFY_PATH)}`, 303);
    const fields = await formFields(context);
    const outcome = await verifySignupPhone(dependencies, signup.tenantId, (fields.code ?? '').slice(0, 16));
    const { language } = frontLanguageOf(context);
    if (outcome === 'verified')
      return redirectWithFlash(context, VERIFY_PATH, 'ok', t(language, 'signup.verify.phoneDone'));
    return redirectWithFlash(context, VERIFY_PATH, 'error', phoneRefusalText(outcome, language));
  });

  routes.post('/signup/resend-code', async (context) => {
    const signup = await ownerSignup(context);
    if (!signup || !(await hasValidCsrfToken(context, signup.csrfToken)))
      return context.redirect(`/login?next=${encodeURIComponent(VERIFY_PATH)}`, 303);
    const { language } = frontLanguageOf(context);
    try {
      await sendSignupCode(dependencies, context, signup.tenantId);
    } catch (error) {
      if (!(error instanceof KiungaError) || (error.httpStatus >= 500 && error.httpStatus !== 503))
        throw error;
      const text =
        error.code === 'rate_limited'
          ? t(language, 'signup.verify.resendTooSoon')
          : error.code === 'service_unavailable'
            ? t(language, 'signup.verify.smsUnavailable')
            : error.message;
      return redirectWithFlash(context, VERIFY_PATH, 'error', text);
    }
    return redirectWithFlash(context, VERIFY_PATH, 'ok', t(language, 'signup.verify.codeOnItsWay'));
  });

  routes.get('/signup/verify-email', async (context) => {
    const token = readEmailToken(context.req.query('token'));
    const result =
      token === null ? { outcome: 'invalid' as const } : await verifySignupEmail(dependencies, token);
    const signup = await ownerSignup(context);
    const next = signup ? VERIFY_PATH : `/login?next=${encodeURIComponent(VERIFY_PATH)}`;
    const { language } = frontLanguageOf(context);
    if (result.outcome === 'verified')
      return redirectWithFlash(context, next, 'ok', t(language, 'signup.verify.emailDone'));
    const text = t(
      language,
      result.outcome === 'expired'
        ? 'signup.verify.linkExpired'
        : result.outcome === 'already_used'
          ? 'signup.verify.linkUsed'
          : 'signup.verify.linkInvalid',
    );
    return redirectWithFlash(context, next, 'error', text);
  });

  return routes;
}

/**
 * The ISP console's gate for a web sign-up not yet confirmed: every page but the Platform account (where
 * the registration may be paid meanwhile) answers 403 "confirm your phone and email first".
 */
export function pendingSignupGate(dependencies: ApiDependencies): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    const path = context.req.path;
    const isPayPage = path === SIGNUP_PAY_PATH || path.startsWith(`${SIGNUP_PAY_PATH}/`);
    if (!isPayPage && tenantId !== null && (await isSignupPending(dependencies.databases.platform, tenantId)))
      return renderHtml(
        context,
        <SignupPendingPage verifyPath={VERIFY_PATH} front={frontLanguageOf(context)} />,
        403,
      );
    await next();
  };
}
