// The captive portal's pages: small, phone-first, work without JavaScript; a tiny script only
// follows the M-Pesa payment live and logs the device in when it is paid.

import type { Child } from 'hono/jsx';
import { BrandedPage, type IspBranding } from '../console/branded-page';
import { InlineScript } from '../console/inline-script';
import { type GuestPassOffer, GuestPassSection } from '../features/guest-passes/portal-section';
import { type PortalReferral, ReferralField } from '../features/referrals/portal-parts';
import { ResellerBanner, ResellerCodeField } from '../features/resellers/portal-views';
import type { PortalReseller } from '../features/resellers/sales';
import { type Language, t } from '../i18n';
import type { PageLanguage } from '../i18n/request-language';
import type { PortalPayments } from '../mpesa/availability';
import { BuySection, PaymentsUnavailable, RecoverForm } from './payment-sections';
import type { PortalPlan } from './portal-plan';
import {
  chapFormAttributes,
  INLINE_ROUTER_PASSWORD_SCRIPT,
  type RouterContext,
  routerPasswordOf,
} from './router-login';

export type PortalBranding = IspBranding;

export type { PortalPlan } from './portal-plan';
export type { RouterContext } from './router-login';

const styles = `*{box-sizing:border-box}body{margin:0;font:16px/1.4 system-ui,sans-serif;color:#1f2937;background:#f3f4f6}
header{background:var(--primary);color:#fff;padding:12px 16px;display:flex;gap:10px;align-items:center}
header img{height:32px}main{max-width:420px;margin:0 auto;padding:12px}
section{background:#fff;border-radius:10px;padding:14px;margin:12px 0;box-shadow:0 1px 2px #0002}
h1{font-size:1.15rem;margin:0}h2{font-size:1.05rem;margin:0 0 8px}
label.plan{display:flex;justify-content:space-between;border:1px solid #d1d5db;border-radius:8px;padding:10px;margin:6px 0}
label.plan b{color:var(--primary)}input[type=tel],input[type=text]{width:100%;padding:10px;font-size:1rem;border:1px solid #9ca3af;border-radius:8px}
button{width:100%;margin-top:10px;padding:12px;font-size:1rem;border:0;border-radius:8px;background:var(--accent);color:#111;font-weight:600}
.note{font-size:.9rem;color:#4b5563}.error{background:#fee2e2;color:#991b1b;padding:10px;border-radius:8px}
.ok{background:#dcfce7;color:#166534;padding:10px;border-radius:8px}.code{font:700 1.4rem monospace;letter-spacing:2px}
ul.purchases{list-style:none;padding:0}ul.purchases li{border:1px solid #d1d5db;border-radius:8px;padding:10px;margin:6px 0}`;

export function Layout(props: {
  branding: PortalBranding;
  page: PageLanguage;
  title: string;
  children: Child;
  refreshSeconds?: number;
}) {
  return (
    <BrandedPage
      branding={props.branding}
      language={props.page}
      title={props.title}
      styles={styles}
      refreshSeconds={props.refreshSeconds}
    >
      {props.children}
    </BrandedPage>
  );
}

export function RouterFields(props: { router: RouterContext }) {
  const { router } = props;
  return (
    <>
      {router.loginUrl ? <input type="hidden" name="link-login-only" value={router.loginUrl} /> : null}
      {router.mac ? <input type="hidden" name="mac" value={router.mac} /> : null}
      {router.ip ? <input type="hidden" name="ip" value={router.ip} /> : null}
      {router.originalUrl ? <input type="hidden" name="link-orig" value={router.originalUrl} /> : null}
      {router.chap ? (
        <>
          <input type="hidden" name="chap-id" value={router.chap.idText} />
          <input type="hidden" name="chap-challenge" value={router.chap.challengeText} />
        </>
      ) : null}
    </>
  );
}

/** Said instead of logging in when the link that opened the portal named a login address not the router's. */
function RefusedLoginNote(props: { language: Language }) {
  return (
    <p class="note" data-login-refused>
      {t(props.language, 'portal.refusedLogin')}
    </p>
  );
}

export function PortalHome(props: {
  slug: string;
  branding: PortalBranding;
  page: PageLanguage;
  plans: PortalPlan[];
  router: RouterContext;
  payments: PortalPayments;
  /** The reseller whose link (`?r=`) opened the page: named on it, credited with the sale. */
  reseller?: PortalReseller | null;
  error?: string | null;
  /** "Try free for N minutes" when the ISP offers guest passes (issue 13). */
  guestPass?: GuestPassOffer | null;
  /** The referral code field (or the link's code) while the ISP's programme is on (issue 13). */
  referral?: PortalReferral | null;
}) {
  const base = `/portal/${props.slug}`;
  const { language } = props.page;
  return (
    <Layout branding={props.branding} page={props.page} title={t(language, 'portal.home.title')}>
      {props.reseller ? <ResellerBanner reseller={props.reseller} language={language} /> : null}
      {props.error ? <p class="error">{props.error}</p> : null}
      {props.router.isLoginUrlRefused ? <RefusedLoginNote language={language} /> : null}
      {props.payments === 'ready' ? (
        <BuySection
          language={language}
          base={base}
          plans={props.plans}
          routerFields={
            <>
              <ReferralField referral={props.referral ?? null} language={language} />
              <ResellerCodeField reseller={props.reseller ?? null} language={language} />
              <RouterFields router={props.router} />
            </>
          }
          formAttributes={chapFormAttributes(props.router)}
        />
      ) : (
        <PaymentsUnavailable language={language} payments={props.payments} />
      )}
      {props.guestPass ? (
        <GuestPassSection
          language={language}
          action={`${base}/guest-pass`}
          offer={props.guestPass}
          routerFields={<RouterFields router={props.router} />}
        />
      ) : null}
      <section>
        <h2>{t(language, 'portal.voucher.heading')}</h2>
        <form method="post" action={`${base}/voucher`}>
          <input
            type="text"
            name="code"
            placeholder={t(language, 'portal.voucher.placeholder')}
            required
            autocapitalize="characters"
          />
          <RouterFields router={props.router} />
          <button type="submit">{t(language, 'portal.voucher.connect')}</button>
        </form>
      </section>
      <p data-my-purchases-link>
        <a href={`${base}/purchases`}>{t(language, 'portal.myPurchases.link')}</a>
      </p>
      {props.payments !== 'not_configured' ? (
        <RecoverForm
          language={language}
          action={`${base}/recover`}
          routerFields={<RouterFields router={props.router} />}
        />
      ) : null}
      <InlineScript source={`${INLINE_ROUTER_PASSWORD_SCRIPT}\n${purchaseScript(base, language)}`} />
    </Layout>
  );
}

/** Follows the purchase without reloading; on payment, logs the device in through the router. */
function purchaseScript(base: string, language: Language): string {
  // The status lines go into the script as JSON string literals (escaped; set with textContent).
  const line = (
    key: `portal.script.${'sending' | 'enterPin' | 'paidVoucher' | 'stillWaiting' | 'noConnection'}`,
  ) => JSON.stringify(t(language, key));
  return `(function(){var f=document.getElementById('buy');if(!f||!window.fetch)return;var s=document.getElementById('status');
f.addEventListener('submit',function(e){e.preventDefault();var d=new FormData(f);var b=f.querySelector('button');b.disabled=true;
s.textContent=${line('portal.script.sending')};fetch('${base}/api/purchases',{method:'POST',headers:{'content-type':'application/json'},
body:JSON.stringify({planId:d.get('planId'),phone:d.get('phone'),mac:d.get('mac')||undefined,referral:d.get('referral')||undefined,reseller:d.get('reseller')||undefined})}).then(function(r){return r.json()}).then(function(p){
if(p.error){s.textContent=p.error.message;b.disabled=false;return}s.textContent=${line('portal.script.enterPin')};var n=0;
(function poll(){fetch('${base}/api/purchases/'+p.id).then(function(r){return r.json()}).then(function(q){
if(q.status==='paid'){s.textContent=${line('portal.script.paidVoucher')}+' ';var c=document.createElement('b');c.className='code';c.textContent=q.voucherCode;s.appendChild(c);login(q.voucherCode)}
else if(q.status==='failed'){s.textContent=q.error.message;b.disabled=false}
else if(++n<90){setTimeout(poll,2000)}else{s.textContent=${line('portal.script.stillWaiting')};b.disabled=false}})})()
}).catch(function(){s.textContent=${line('portal.script.noConnection')};b.disabled=false})});
function login(code){var u=f.querySelector('[name=link-login-only]');if(!u)return;var o=f.querySelector('[name=link-orig]');
var l=document.createElement('form');l.method='post';l.action=u.value;[['username',code],['password',kiungaRouterPassword(f,code)],['dst',o?o.value:'']].forEach(function(x){
var i=document.createElement('input');i.type='hidden';i.name=x[0];i.value=x[1];l.appendChild(i)});document.body.appendChild(l);l.submit()}})();`;
}

/**
 * The router's login form: posting it logs the device in (MikroTik's link-login-only). Without JavaScript
 * the server, which knows the code, puts the CHAP answer in `password`; the code itself goes only where
 * the router offered no CHAP challenge (PAP, as MikroTik's own login page does).
 */
export function RouterLogin(props: {
  router: RouterContext;
  code: string;
  language: Language;
  /** A guest pass's own password (its username is `code`); a voucher's password is its code. */
  password?: string;
}) {
  if (!props.router.loginUrl) {
    if (props.router.isLoginUrlRefused) return <RefusedLoginNote language={props.language} />;
    return <p class="note">{t(props.language, 'portal.routerLogin.openAnySite')}</p>;
  }
  return (
    <form method="post" action={props.router.loginUrl}>
      <input type="hidden" name="username" value={props.code} />
      <input
        type="hidden"
        name="password"
        value={routerPasswordOf(props.router, props.password ?? props.code)}
      />
      {props.router.originalUrl ? <input type="hidden" name="dst" value={props.router.originalUrl} /> : null}
      <button type="submit">{t(props.language, 'portal.routerLogin.connectNow')}</button>
    </form>
  );
}

export function MessagePage(props: {
  branding: PortalBranding;
  page: PageLanguage;
  slug: string;
  title: string;
  kind: 'ok' | 'error' | 'note';
  message: string;
  children?: Child;
  refreshSeconds?: number;
}) {
  return (
    <Layout
      branding={props.branding}
      page={props.page}
      title={props.title}
      refreshSeconds={props.refreshSeconds}
    >
      <section>
        <h2>{props.title}</h2>
        <p class={props.kind}>{props.message}</p>
        {props.children}
        <p>
          <a href={`/portal/${props.slug}`}>{t(props.page.language, 'portal.back')}</a>
        </p>
      </section>
    </Layout>
  );
}
