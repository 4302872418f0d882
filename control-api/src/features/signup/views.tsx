// The front door: the public landing page `/` and the ISP sign-up pages `/signup` (form, then "verify
// your phone and email"). Phone-first, the console's stylesheet, no JavaScript needed: the one inline
// script (under the CSP nonce) only checks the short name live and fills it from the ISP's name.
import { formatKsh } from '@kiunga/schemas';
import type { Child } from 'hono/jsx';
import { CsrfField, FlashBox, type FlashMessage } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { Document } from '../../console/layout';
import { DEFAULT_ACCENT_COLOR, PLATFORM_PRIMARY_COLOR, themeCss } from '../../console/styles';
import { type Language, t } from '../../i18n';
import { PASSWORD_LENGTH_MAX, PASSWORD_LENGTH_MIN } from '../../identity/passwords';
import {
  PLATFORM_GRACE_DAYS,
  TIER1_MONTHLY_FEE_CENTS,
  TIER1_REGISTRATION_FEE_CENTS,
  TIER2_MONTHLY_FEE_CENTS,
  TIER2_REVENUE_THRESHOLD_CENTS,
  TRIAL_DURATION_MS,
  tierFeatures,
} from '../../platform-billing/core/tiers';
import { EMAIL_LINK_LIFETIME_MS } from './core/email-link';
import type { SlugAvailability } from './core/slug';
import { SMS_CODE_DIGITS } from './core/sms-code';

const HOUR_MS = 60 * 60 * 1000;

/** The language a front-door page is in and, when the request gave one, the link to the other language. */
export interface FrontLanguage {
  readonly language: Language;
  /** The same page in the other language (`?lang=`, the rest of the query kept), and that language's name. */
  readonly switchHref?: string;
  readonly switchLabel?: string;
}
const ENGLISH: FrontLanguage = { language: 'en' };
const PLATFORM_THEME = themeCss({ primaryColor: PLATFORM_PRIMARY_COLOR, accentColor: DEFAULT_ACCENT_COLOR });

/** What these pages add to the console stylesheet: a top bar, a hero, tier cards, the sign-up column. */
const frontCss = `
.front-top{display:flex;align-items:center;justify-content:space-between;padding:.7rem .9rem;background:var(--brand);color:#fff}
.front-top a{color:#fff}.front-top b{font-size:1.15rem}
.hero{padding:1.6rem .2rem .6rem}.hero h1{font-size:1.6rem;line-height:1.2}.hero p{font-size:1.05rem;color:#374151}
.hero .button{font-size:1.05rem;padding:.75rem 1.2rem}
ul.does{padding-left:1.1rem}ul.does li{margin:.3rem 0}
.tiers{display:grid;grid-template-columns:1fr;gap:.8rem}@media(min-width:640px){.tiers{grid-template-columns:1fr 1fr}}
.tier h3{margin:.1rem 0 .3rem}.tier .price{font-size:1.35rem;font-weight:700}.tier ul{padding-left:1.1rem;margin:.5rem 0}
.narrow{max-width:480px;margin:0 auto}
.slug-row{display:flex;gap:.4rem;align-items:stretch}.slug-row input{flex:1}.slug-row button{margin:0;white-space:nowrap}
.field-error{color:#991b1b;font-size:.88rem;margin:.2rem 0 0}
#slug-status.ok{color:#065f46}#slug-status.taken{color:#991b1b}
fieldset.choice{border:1px solid #e5e7eb;border-radius:6px;margin:.7rem 0;padding:.4rem .7rem}input[type=radio]{width:auto;margin-right:.3rem}
form:has(#tier-tier2:checked) .tier1-only{display:none}
.steps{padding-left:1.2rem}.steps li{margin:.45rem 0}.done{color:#065f46;font-weight:600}
`
  .replace(/\n/g, '')
  .trim();

/** A tier as the landing page and the form describe it, from the one tier catalogue (platform-tier.ts). */
export interface TierOffer {
  readonly tier: 'tier1' | 'tier2';
  readonly name: string;
  readonly priceText: string;
  readonly featureLines: readonly string[];
}

export function tierOffers(language: Language = 'en'): readonly TierOffer[] {
  const tier1 = tierFeatures('tier1', 'hotspot');
  const tier2 = tierFeatures('tier2', null);
  const threshold = formatKsh(TIER2_REVENUE_THRESHOLD_CENTS);
  return [
    {
      tier: 'tier1',
      name: t(language, 'front.tier1.name'),
      priceText: t(language, 'front.tier1.price', {
        registration: formatKsh(TIER1_REGISTRATION_FEE_CENTS),
        monthly: formatKsh(TIER1_MONTHLY_FEE_CENTS),
      }),
      featureLines: [
        t(language, 'front.tier1.audience', { threshold }),
        t(language, 'front.tier1.service'),
        t(language, tier1.sms ? 'front.tier1.sms' : 'front.tier1.noSms'),
      ],
    },
    {
      tier: 'tier2',
      name: t(language, 'front.tier2.name'),
      priceText: t(language, 'front.tier2.price', { monthly: formatKsh(TIER2_MONTHLY_FEE_CENTS) }),
      featureLines: [
        t(language, 'front.tier2.audience', { threshold }),
        t(language, tier2.hotspot && tier2.pppoe ? 'front.tier2.bothServices' : 'front.tier2.eitherService'),
        t(language, tier2.sms ? 'front.tier2.sms' : 'front.tier2.noSms'),
      ],
    },
  ];
}

const trialText = (language: Language) => t(language, 'front.trial', { hours: TRIAL_DURATION_MS / HOUR_MS });

/** The platform's top bar: the name, the language switch (when the request gave one), sign in. */
function FrontTop(props: { loginPath: string; front: FrontLanguage }) {
  const { front } = props;
  return (
    <header class="front-top">
      <b>Kiunga</b>
      <span>
        {front.switchHref ? (
          <a href={front.switchHref} hreflang={front.language === 'sw' ? 'en' : 'sw'} data-language-switch>
            {front.switchLabel}
          </a>
        ) : null}{' '}
        <a href={props.loginPath}>{t(front.language, 'front.signIn')}</a>
      </span>
    </header>
  );
}

/** The front door's document: the console stylesheet plus this page's, in the page's language. */
function FrontDocument(props: { title: string; front: FrontLanguage; children: Child }) {
  return (
    <Document title={props.title} themeCss={PLATFORM_THEME + frontCss} language={props.front.language}>
      {props.children}
    </Document>
  );
}

export function LandingPage(props: { signupPath?: string; loginPath?: string; front?: FrontLanguage }) {
  const signupPath = props.signupPath ?? '/signup';
  const front = props.front ?? ENGLISH;
  return (
    <FrontDocument title={t(front.language, 'front.landing.title')} front={front}>
      <FrontTop loginPath={props.loginPath ?? '/login'} front={front} />
      <main>
        <section class="hero">
          <h1>{t(front.language, 'front.landing.heading')}</h1>
          <p>{t(front.language, 'front.landing.intro')}</p>
          <a class="button" href={signupPath} data-start-trial>
            {t(front.language, 'front.startTrial')}
          </a>
          <p class="muted">
            {t(front.language, 'front.landing.noCard', { trial: trialText(front.language) })}
          </p>
        </section>
        <h2>{t(front.language, 'front.landing.doesHeading')}</h2>
        <ul class="does">
          <li>{t(front.language, 'front.landing.doesRouters')}</li>
          <li>{t(front.language, 'front.landing.doesPortal')}</li>
          <li>{t(front.language, 'front.landing.doesBilling')}</li>
          <li>{t(front.language, 'front.landing.doesConsoles')}</li>
        </ul>
        <h2>{t(front.language, 'front.landing.pricesHeading')}</h2>
        <div class="tiers">
          {tierOffers(front.language).map((offer) => (
            <div class="card tier" data-tier={offer.tier}>
              <h3>{offer.name}</h3>
              <div class="price">{offer.priceText}</div>
              <ul>
                {offer.featureLines.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        <p class="muted">{t(front.language, 'front.landing.payment', { days: PLATFORM_GRACE_DAYS })}</p>
        <p>
          <a class="button" href={signupPath}>
            {t(front.language, 'front.startTrial')}
          </a>
        </p>
      </main>
    </FrontDocument>
  );
}

export type SignupField =
  | 'ispName'
  | 'slug'
  | 'ownerName'
  | 'email'
  | 'phone'
  | 'password'
  | 'tier'
  | 'featureChoice';

/** What the form shows again after a refusal; the password never is. */
export interface SignupFormValues {
  readonly ispName: string;
  readonly slug: string;
  readonly ownerName: string;
  readonly email: string;
  readonly phone: string;
  readonly tier: 'tier1' | 'tier2' | '';
  readonly featureChoice: 'hotspot' | 'pppoe' | '';
}

export interface SignupPageProps {
  readonly csrfToken: string;
  readonly values?: Partial<SignupFormValues>;
  readonly errors?: Partial<Record<SignupField, string>>;
  readonly flash?: FlashMessage | null;
  /** The short name's availability, when the no-JavaScript "Check" button was pressed. */
  readonly slugAvailability?: SlugAvailability | null;
  readonly slugCheckPath?: string;
  readonly front?: FrontLanguage;
}

function FieldError(props: { field: SignupField; errors: SignupPageProps['errors'] }) {
  const message = props.errors?.[props.field];
  return message ? (
    <p class="field-error" id={`${props.field}-error`} role="alert">
      {message}
    </p>
  ) : null;
}

/** The short name's status line, in the page's language (the live script says the same words). */
export function slugStatusText(availability: SlugAvailability, language: Language): string {
  if (availability.isAvailable) return t(language, 'signup.slug.available', { slug: availability.slug });
  const name = availability.slug || t(language, 'signup.slug.thisName');
  return `${name}: ${t(language, `signup.slug.${availability.reason}`)}`;
}

function SlugStatus(props: { availability: SlugAvailability | null | undefined; language: Language }) {
  const { availability } = props;
  if (!availability) {
    return <p class="muted" id="slug-status" aria-live="polite"></p>;
  }
  return (
    <p class={`muted ${availability.isAvailable ? 'ok' : 'taken'}`} id="slug-status" aria-live="polite">
      {slugStatusText(availability, props.language)}
    </p>
  );
}

/** Radio buttons: the tier, and for Tier 1 the one kind of service (hidden by CSS when Tier 2 is picked). */
function TierChoice(props: {
  values: Partial<SignupFormValues>;
  errors: SignupPageProps['errors'];
  language: Language;
}) {
  const tier = props.values.tier || 'tier1';
  const { language } = props;
  return (
    <>
      <fieldset class="choice">
        <legend>{t(language, 'signup.tierLegend')}</legend>
        {tierOffers(language).map((offer) => (
          <label class="check">
            <input
              type="radio"
              name="tier"
              id={`tier-${offer.tier}`}
              value={offer.tier}
              checked={tier === offer.tier}
            />{' '}
            <b>{offer.name}</b>: {offer.priceText}
          </label>
        ))}
        <FieldError field="tier" errors={props.errors} />
      </fieldset>
      <fieldset class="choice tier1-only">
        <legend>{t(language, 'signup.tier1ServiceLegend')}</legend>
        <label class="check">
          <input
            type="radio"
            name="featureChoice"
            value="hotspot"
            checked={props.values.featureChoice !== 'pppoe'}
          />{' '}
          {t(language, 'signup.tier1Service.hotspot')}
        </label>
        <label class="check">
          <input
            type="radio"
            name="featureChoice"
            value="pppoe"
            checked={props.values.featureChoice === 'pppoe'}
          />{' '}
          {t(language, 'signup.tier1Service.pppoe')}
        </label>
        <FieldError field="featureChoice" errors={props.errors} />
      </fieldset>
    </>
  );
}

/** A labelled input with its refusal under it; a password field never gets its value back. */
function TextField(props: {
  field: Exclude<SignupField, 'slug' | 'tier' | 'featureChoice'>;
  label: string;
  values: Partial<SignupFormValues>;
  errors: SignupPageProps['errors'];
  type?: 'text' | 'tel' | 'email' | 'password';
  autocomplete: string;
  inputmode?: 'tel';
  placeholder?: string;
  minlength?: number;
  maxlength?: number;
}) {
  const { field } = props;
  const value = field === 'password' ? undefined : (props.values[field] ?? '');
  return (
    <>
      <label for={field}>{props.label}</label>
      <input
        id={field}
        name={field}
        type={props.type ?? 'text'}
        required
        inputmode={props.inputmode}
        autocomplete={props.autocomplete}
        placeholder={props.placeholder}
        minlength={props.minlength}
        maxlength={props.maxlength}
        value={value}
        aria-describedby={props.errors?.[field] ? `${field}-error` : undefined}
      />
      <FieldError field={field} errors={props.errors} />
    </>
  );
}

export function SignupPage(props: SignupPageProps) {
  const values = props.values ?? {};
  const errors = props.errors;
  const fieldState = { values, errors };
  const front = props.front ?? ENGLISH;
  const { language } = front;
  return (
    <FrontDocument title={t(language, 'signup.title')} front={front}>
      <FrontTop loginPath="/login" front={front} />
      <main class="narrow">
        <h1>{t(language, 'signup.heading')}</h1>
        <p class="muted">{t(language, 'signup.intro', { trial: trialText(language) })}</p>
        <FlashBox flash={props.flash ?? null} />
        <form method="post" action="/signup" class="card" id="signup">
          <CsrfField token={props.csrfToken} />
          <TextField
            field="ispName"
            label={t(language, 'signup.field.ispName')}
            autocomplete="organization"
            maxlength={120}
            {...fieldState}
          />
          <label for="slug">{t(language, 'signup.field.slug')}</label>
          <div class="slug-row">
            <input
              id="slug"
              name="slug"
              required
              minlength={3}
              maxlength={40}
              pattern="[a-z0-9][a-z0-9-]{1,38}[a-z0-9]"
              autocapitalize="none"
              autocomplete="off"
              spellcheck={false}
              value={values.slug ?? ''}
              aria-describedby="slug-status"
            />
            <button type="submit" name="intent" value="check-slug" class="secondary" formnovalidate>
              {t(language, 'signup.checkSlug')}
            </button>
          </div>
          <SlugStatus availability={props.slugAvailability} language={language} />
          <FieldError field="slug" errors={errors} />
          <TextField
            field="ownerName"
            label={t(language, 'signup.field.ownerName')}
            autocomplete="name"
            maxlength={120}
            {...fieldState}
          />
          <TextField
            field="phone"
            label={t(language, 'signup.field.phone')}
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            placeholder="0712 345 678"
            {...fieldState}
          />
          <TextField
            field="email"
            label={t(language, 'signup.field.email')}
            type="email"
            autocomplete="email"
            maxlength={254}
            {...fieldState}
          />
          <TextField
            field="password"
            label={t(language, 'signup.field.password', { min: PASSWORD_LENGTH_MIN })}
            type="password"
            autocomplete="new-password"
            minlength={PASSWORD_LENGTH_MIN}
            maxlength={PASSWORD_LENGTH_MAX}
            {...fieldState}
          />
          <TierChoice values={values} errors={errors} language={language} />
          <button type="submit" name="intent" value="signup">
            {t(language, 'signup.submit')}
          </button>
        </form>
        <p class="muted">
          {t(language, 'signup.haveAccount')} <a href="/login">{t(language, 'front.signIn')}</a>
        </p>
      </main>
      <InlineScript source={signupScript(props.slugCheckPath ?? '/signup/slug-availability', language)} />
    </FrontDocument>
  );
}

/** Mask all but the last three digits: the page confirms where the code went without printing the number. */
export function maskedPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 3 ? digits : `${'•'.repeat(digits.length - 3)}${digits.slice(-3)}`;
}

export interface SignupVerifyPageProps {
  readonly csrfToken: string;
  readonly phone: string;
  readonly email: string;
  readonly verification: { readonly phone: 'pending' | 'verified'; readonly email: 'pending' | 'verified' };
  readonly flash?: FlashMessage | null;
  readonly front?: FrontLanguage;
}

/** After the form: type the SMS code, click the emailed link; each step shows as done when it is. */
export function SignupVerifyPage(props: SignupVerifyPageProps) {
  const { verification } = props;
  const front = props.front ?? ENGLISH;
  const { language } = front;
  return (
    <FrontDocument title={t(language, 'signup.verify.title')} front={front}>
      <FrontTop loginPath="/login" front={front} />
      <main class="narrow">
        <h1>{t(language, 'signup.verify.heading')}</h1>
        <FlashBox flash={props.flash ?? null} />
        <ol class="steps">
          <li data-step="phone">
            {verification.phone === 'verified' ? (
              <span class="done">{t(language, 'signup.verify.phoneDone')}</span>
            ) : (
              <>
                {t(language, 'signup.verify.typeCode', {
                  digits: SMS_CODE_DIGITS,
                  phone: maskedPhone(props.phone),
                })}
                <form method="post" action="/signup/verify-phone" class="card">
                  <CsrfField token={props.csrfToken} />
                  <label for="code">{t(language, 'signup.verify.codeLabel')}</label>
                  <input
                    id="code"
                    name="code"
                    required
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern={`[0-9 -]{${SMS_CODE_DIGITS},${SMS_CODE_DIGITS + 2}}`}
                    maxlength={SMS_CODE_DIGITS + 2}
                  />
                  <button type="submit">{t(language, 'signup.verify.confirmPhone')}</button>
                </form>
                <form method="post" action="/signup/resend-code">
                  <CsrfField token={props.csrfToken} />
                  <button type="submit" class="secondary">
                    {t(language, 'signup.verify.resend')}
                  </button>
                </form>
              </>
            )}
          </li>
          <li data-step="email">
            {verification.email === 'verified' ? (
              <span class="done">{t(language, 'signup.verify.emailDone')}</span>
            ) : (
              t(language, 'signup.verify.openLink', {
                email: props.email,
                hours: EMAIL_LINK_LIFETIME_MS / HOUR_MS,
              })
            )}
          </li>
        </ol>
        <p class="muted">{t(language, 'signup.verify.trialStarts')}</p>
        <p>
          <a class="button secondary" href={SIGNUP_PAY_PATH} data-pay-registration>
            {t(language, 'signup.payRegistration')}
          </a>
        </p>
      </main>
    </FrontDocument>
  );
}

/** Where a pending owner pays: the console's Platform account page, open to them before confirming. */
export const SIGNUP_PAY_PATH = '/isp/platform-account';

/** What a pending owner sees on any other console page: confirm first, or pay meanwhile. */
export function SignupPendingPage(props: { verifyPath: string; front?: FrontLanguage }) {
  const front = props.front ?? ENGLISH;
  const { language } = front;
  return (
    <FrontDocument title={t(language, 'signup.pending.title')} front={front}>
      <FrontTop loginPath="/login" front={front} />
      <main class="narrow" data-signup-pending>
        <h1>{t(language, 'signup.pending.heading')}</h1>
        <p>{t(language, 'signup.pending.text')}</p>
        <p>
          <a class="button" href={props.verifyPath}>
            {t(language, 'signup.pending.confirm')}
          </a>
        </p>
        <p>
          <a href={SIGNUP_PAY_PATH}>{t(language, 'signup.payRegistration')}</a>
        </p>
      </main>
    </FrontDocument>
  );
}

/**
 * The sign-up form's live short-name check: fills the short name from the ISP name until it is edited, and
 * asks `checkPath?slug=` (JSON `{slug, isAvailable, message?}`) a moment after typing stops.
 */
function signupScript(checkPath: string, language: Language): string {
  // The status line's two sentences, with their variables left for the script to fill in.
  const available = JSON.stringify(t(language, 'signup.slug.available', { slug: '{slug}' }));
  return `(function(){var n=document.getElementById('ispName'),s=document.getElementById('slug'),o=document.getElementById('slug-status');
if(!n||!s||!o||!window.fetch)return;var edited=s.value!=='',timer=null,asked='';
function suggest(v){return v.toLowerCase().replace(/[^a-z0-9]+/g,'-').replace(/^-+|-+$/g,'').slice(0,40)}
function check(){var v=s.value.trim().toLowerCase();if(v===asked)return;asked=v;if(v.length<3){o.textContent='';o.className='muted';return}
fetch(${JSON.stringify(checkPath)}+'?lang=${language}&slug='+encodeURIComponent(v),{headers:{accept:'application/json'}}).then(function(r){return r.json()}).then(function(a){
if(asked!==v)return;o.className='muted '+(a.isAvailable?'ok':'taken');o.textContent=a.isAvailable?${available}.replace('{slug}',a.slug):(a.slug||v)+': '+a.message}).catch(function(){o.textContent=''})}
function later(){clearTimeout(timer);timer=setTimeout(check,400)}
n.addEventListener('input',function(){if(!edited){s.value=suggest(n.value);later()}});
s.addEventListener('input',function(){edited=true;later()});})();`;
}
