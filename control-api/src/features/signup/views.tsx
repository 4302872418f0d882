// The front door: the public landing page `/` and the ISP sign-up pages `/signup` (form, then "verify
// your phone and email"). Phone-first, the console's stylesheet, no JavaScript needed: the one inline
// script (under the CSP nonce) only checks the short name live and fills it from the ISP's name.
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, FlashBox, type FlashMessage } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { Document } from '../../console/layout';
import { DEFAULT_ACCENT_COLOR, PLATFORM_PRIMARY_COLOR, themeCss } from '../../console/styles';
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
import type { SlugAvailability } from './core/slug';
import { SMS_CODE_DIGITS } from './core/sms-code';

const HOUR_MS = 60 * 60 * 1000;
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

export function tierOffers(): readonly TierOffer[] {
  const tier1 = tierFeatures('tier1', 'hotspot');
  const tier2 = tierFeatures('tier2', null);
  const threshold = formatKsh(TIER2_REVENUE_THRESHOLD_CENTS);
  return [
    {
      tier: 'tier1',
      name: 'Tier 1',
      priceText: `${formatKsh(TIER1_REGISTRATION_FEE_CENTS)} registration, then ${formatKsh(TIER1_MONTHLY_FEE_CENTS)} a month`,
      featureLines: [
        `For ISPs taking less than ${threshold} a month through Kiunga`,
        'Hotspot vouchers with M-Pesa, or PPPoE/Static monthly billing: you choose one',
        tier1.sms ? 'SMS reminders to your clients' : 'Reminders in your console (no SMS)',
      ],
    },
    {
      tier: 'tier2',
      name: 'Tier 2',
      priceText: `${formatKsh(TIER2_MONTHLY_FEE_CENTS)} a month`,
      featureLines: [
        `For ISPs taking ${threshold} a month or more (or anyone who wants it all)`,
        tier2.hotspot && tier2.pppoe ? 'Hotspot and PPPoE/Static together' : 'Hotspot or PPPoE/Static',
        tier2.sms ? 'SMS reminders, suspension and reactivation notices to your clients' : 'No SMS',
      ],
    },
  ];
}

const trialText = `${TRIAL_DURATION_MS / HOUR_MS}-hour free trial`;

function FrontTop(props: { loginPath: string }) {
  return (
    <header class="front-top">
      <b>Kiunga</b>
      <a href={props.loginPath}>Sign in</a>
    </header>
  );
}

export function LandingPage(props: { signupPath?: string; loginPath?: string }) {
  const signupPath = props.signupPath ?? '/signup';
  return (
    <Document title="Kiunga · Wi-Fi and internet billing for ISPs" themeCss={PLATFORM_THEME + frontCss}>
      <FrontTop loginPath={props.loginPath ?? '/login'} />
      <main>
        <section class="hero">
          <h1>Run your Wi-Fi hotspot and home internet business from one place</h1>
          <p>
            Kiunga is the RADIUS server, billing and M-Pesa payments for ISPs with MikroTik routers: sell
            vouchers on a captive portal, bill monthly PPPoE and static clients, and see who is online.
          </p>
          <a class="button" href={signupPath} data-start-trial>
            Start free trial
          </a>
          <p class="muted">{trialText}. No card needed: verify your phone and email and you are in.</p>
        </section>
        <h2>What Kiunga does</h2>
        <ul class="does">
          <li>Your MikroTik routers log clients in against Kiunga (hotspot, PPPoE and static IP).</li>
          <li>Clients buy packages with M-Pesa on your branded captive portal, or type a voucher.</li>
          <li>Monthly invoices, reminders, automatic suspension and reconnection for home clients.</li>
          <li>Consoles for you, your staff, technicians and resellers; live sessions and reports.</li>
        </ul>
        <h2>Prices</h2>
        <div class="tiers">
          {tierOffers().map((offer) => (
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
        <p class="muted">
          Pay Kiunga by M-Pesa, bank transfer or PayPal, at sign-up or any time during the trial. Unpaid
          accounts get {PLATFORM_GRACE_DAYS} days of grace; your clients keep their service whatever happens.
        </p>
        <p>
          <a class="button" href={signupPath}>
            Start free trial
          </a>
        </p>
      </main>
    </Document>
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
}

function FieldError(props: { field: SignupField; errors: SignupPageProps['errors'] }) {
  const message = props.errors?.[props.field];
  return message ? (
    <p class="field-error" id={`${props.field}-error`} role="alert">
      {message}
    </p>
  ) : null;
}

function SlugStatus(props: { availability: SlugAvailability | null | undefined }) {
  const { availability } = props;
  if (!availability) {
    return <p class="muted" id="slug-status" aria-live="polite"></p>;
  }
  return (
    <p class={`muted ${availability.isAvailable ? 'ok' : 'taken'}`} id="slug-status" aria-live="polite">
      {availability.isAvailable
        ? `${availability.slug} is available`
        : `${availability.slug || 'This name'}: ${availability.message}`}
    </p>
  );
}

/** Radio buttons: the tier, and for Tier 1 the one kind of service (hidden by CSS when Tier 2 is picked). */
function TierChoice(props: { values: Partial<SignupFormValues>; errors: SignupPageProps['errors'] }) {
  const tier = props.values.tier || 'tier1';
  return (
    <>
      <fieldset class="choice">
        <legend>Tier</legend>
        {tierOffers().map((offer) => (
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
        <legend>Tier 1 service</legend>
        <label class="check">
          <input
            type="radio"
            name="featureChoice"
            value="hotspot"
            checked={props.values.featureChoice !== 'pppoe'}
          />{' '}
          Hotspot (vouchers, M-Pesa captive portal)
        </label>
        <label class="check">
          <input
            type="radio"
            name="featureChoice"
            value="pppoe"
            checked={props.values.featureChoice === 'pppoe'}
          />{' '}
          PPPoE/Static (monthly home clients)
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
  return (
    <Document title="Start your free trial · Kiunga" themeCss={PLATFORM_THEME + frontCss}>
      <FrontTop loginPath="/login" />
      <main class="narrow">
        <h1>Start your free trial</h1>
        <p class="muted">
          {trialText}. We send a code to your phone and a link to your email; the trial starts when both are
          confirmed.
        </p>
        <FlashBox flash={props.flash ?? null} />
        <form method="post" action="/signup" class="card" id="signup">
          <CsrfField token={props.csrfToken} />
          <TextField
            field="ispName"
            label="ISP name"
            autocomplete="organization"
            maxlength={120}
            {...fieldState}
          />
          <label for="slug">Short name (your portal address)</label>
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
              Check
            </button>
          </div>
          <SlugStatus availability={props.slugAvailability} />
          <FieldError field="slug" errors={errors} />
          <TextField
            field="ownerName"
            label="Your name"
            autocomplete="name"
            maxlength={120}
            {...fieldState}
          />
          <TextField
            field="phone"
            label="Phone (we send a code)"
            type="tel"
            inputmode="tel"
            autocomplete="tel"
            placeholder="0712 345 678"
            {...fieldState}
          />
          <TextField
            field="email"
            label="Email (we send a link)"
            type="email"
            autocomplete="email"
            maxlength={254}
            {...fieldState}
          />
          <TextField
            field="password"
            label={`Password (${PASSWORD_LENGTH_MIN} characters or more)`}
            type="password"
            autocomplete="new-password"
            minlength={PASSWORD_LENGTH_MIN}
            maxlength={PASSWORD_LENGTH_MAX}
            {...fieldState}
          />
          <TierChoice values={values} errors={errors} />
          <button type="submit" name="intent" value="signup">
            Create my account
          </button>
        </form>
        <p class="muted">
          Already have an account? <a href="/login">Sign in</a>
        </p>
      </main>
      <InlineScript source={signupScript(props.slugCheckPath ?? '/signup/slug-availability')} />
    </Document>
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
}

/** After the form: type the SMS code, click the emailed link; each step shows as done when it is. */
export function SignupVerifyPage(props: SignupVerifyPageProps) {
  const { verification } = props;
  return (
    <Document title="Confirm your phone and email · Kiunga" themeCss={PLATFORM_THEME + frontCss}>
      <FrontTop loginPath="/login" />
      <main class="narrow">
        <h1>Confirm your phone and email</h1>
        <FlashBox flash={props.flash ?? null} />
        <ol class="steps">
          <li data-step="phone">
            {verification.phone === 'verified' ? (
              <span class="done">Phone confirmed.</span>
            ) : (
              <>
                Type the {SMS_CODE_DIGITS}-digit code we sent to {maskedPhone(props.phone)}.
                <form method="post" action="/signup/verify-phone" class="card">
                  <CsrfField token={props.csrfToken} />
                  <label for="code">Code from the SMS</label>
                  <input
                    id="code"
                    name="code"
                    required
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    pattern={`[0-9 -]{${SMS_CODE_DIGITS},${SMS_CODE_DIGITS + 2}}`}
                    maxlength={SMS_CODE_DIGITS + 2}
                  />
                  <button type="submit">Confirm phone</button>
                </form>
                <form method="post" action="/signup/resend-code">
                  <CsrfField token={props.csrfToken} />
                  <button type="submit" class="secondary">
                    Send the code again
                  </button>
                </form>
              </>
            )}
          </li>
          <li data-step="email">
            {verification.email === 'verified' ? (
              <span class="done">Email confirmed.</span>
            ) : (
              <>Open the link we sent to {props.email}. It works once, for 24 hours.</>
            )}
          </li>
        </ol>
        <p class="muted">Your free trial starts as soon as both are confirmed.</p>
        <p>
          <a class="button secondary" href={SIGNUP_PAY_PATH} data-pay-registration>
            Pay the registration now
          </a>
        </p>
      </main>
    </Document>
  );
}

/** Where a pending owner pays: the console's Platform account page, open to them before confirming. */
export const SIGNUP_PAY_PATH = '/isp/platform-account';

/** What a pending owner sees on any other console page: confirm first, or pay meanwhile. */
export function SignupPendingPage(props: { verifyPath: string }) {
  return (
    <Document title="Confirm your phone and email first · Kiunga" themeCss={PLATFORM_THEME + frontCss}>
      <FrontTop loginPath="/login" />
      <main class="narrow" data-signup-pending>
        <h1>Confirm your phone and email first</h1>
        <p>
          Your console opens as soon as your phone and email are confirmed: that also starts your free trial.
        </p>
        <p>
          <a class="button" href={props.verifyPath}>
            Confirm your phone and email
          </a>
        </p>
        <p>
          <a href={SIGNUP_PAY_PATH}>Pay the registration now</a>
        </p>
      </main>
    </Document>
  );
}

/**
 * The sign-up form's live short-name check: fills the short name from the ISP name until it is edited, and
 * asks `checkPath?slug=` (JSON `{slug, isAvailable, message?}`) a moment after typing stops.
 */
function signupScript(checkPath: string): string {
  return `(function(){var n=document.getElementById('ispName'),s=document.getElementById('slug'),o=document.getElementById('slug-status');
if(!n||!s||!o||!window.fetch)return;var edited=s.value!=='',timer=null,asked='';
function suggest(v){return v.toLowerCase().replace(/[^a-z0-9]+/g,'-').replace(/^-+|-+$/g,'').slice(0,40)}
function check(){var v=s.value.trim().toLowerCase();if(v===asked)return;asked=v;if(v.length<3){o.textContent='';o.className='muted';return}
fetch(${JSON.stringify(checkPath)}+'?slug='+encodeURIComponent(v),{headers:{accept:'application/json'}}).then(function(r){return r.json()}).then(function(a){
if(asked!==v)return;o.className='muted '+(a.isAvailable?'ok':'taken');o.textContent=a.isAvailable?a.slug+' is available':(a.slug||v)+': '+a.message}).catch(function(){o.textContent=''})}
function later(){clearTimeout(timer);timer=setTimeout(check,400)}
n.addEventListener('input',function(){if(!edited){s.value=suggest(n.value);later()}});
s.addEventListener('input',function(){edited=true;later()});})();`;
}
