// "My purchases" pages on the captive portal, without JavaScript: GET /portal/<slug>/purchases (the proof
// forms), POST …/purchases (phone + M-Pesa receipt), POST …/purchases/code (an SMS code, Tier 2) and
// POST …/purchases/verify (phone + that code); a proof that holds is answered with the phone's vouchers.
import { formatKsh } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import { type Language, t } from '../../i18n';
import { type PageLanguage, requestLanguage } from '../../i18n/request-language';
import type { ApiDependencies } from '../../kernel/dependencies';
import { minutesText } from '../../mpesa/purchase-limits';
import { Layout, type PortalBranding } from '../../portal/page';
import { formatDuration } from '../../portal/voucher-status';
import { ispBranding } from '../branding/service';
import type { PortalLookups } from '../guest-passes/portal-routes';
import { PURCHASES_CODE_LIFETIME_MS } from './core';
import {
  canSendPurchasesCode,
  type MyPurchase,
  type ProofOutcome,
  type PurchasesProof,
  requestPurchasesCode,
  showMyPurchases,
} from './service';

/** A phone as typed is echoed back into the form, cut to this (a Kenyan number with spaces fits). */
const PHONE_ECHO_CHARS_MAX = 20;

/** When a voucher was bought, as a Kenyan client reads it: day/month/year and the time in Nairobi. */
const boughtAtFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

type Notice = { kind: 'ok' | 'error'; text: string } | null;

function ProofPage(props: {
  base: string;
  branding: PortalBranding;
  page: PageLanguage;
  phone: string;
  canSendCode: boolean;
  isCodeSent?: boolean;
  notice: Notice;
}) {
  const { language } = props.page;
  const phoneField = (
    <label>
      {t(language, 'portal.myPurchases.phoneLabel')}
      <input
        type="tel"
        name="phone"
        value={props.phone}
        placeholder="0712 345 678"
        required
        autocomplete="tel"
        maxlength={PHONE_ECHO_CHARS_MAX}
      />
    </label>
  );
  return (
    <Layout branding={props.branding} page={props.page} title={t(language, 'portal.myPurchases.title')}>
      <section data-my-purchases>
        <h2>{t(language, 'portal.myPurchases.title')}</h2>
        {props.notice ? <p class={props.notice.kind}>{props.notice.text}</p> : null}
        <p class="note">{t(language, 'portal.myPurchases.intro')}</p>
      </section>
      {props.isCodeSent ? (
        <section>
          <h2>{t(language, 'portal.myPurchases.codeHeading')}</h2>
          <form method="post" action={`${props.base}/purchases/verify`} id="purchases-code">
            {phoneField}
            <label>
              {t(language, 'portal.myPurchases.codeLabel')}
              <input
                type="text"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                required
                maxlength={12}
              />
            </label>
            <button type="submit">{t(language, 'portal.myPurchases.showButton')}</button>
          </form>
        </section>
      ) : null}
      <section>
        <h2>{t(language, 'portal.myPurchases.receiptHeading')}</h2>
        <form method="post" action={`${props.base}/purchases`} id="purchases-receipt">
          {phoneField}
          <label>
            {t(language, 'portal.myPurchases.receiptLabel')}
            <input
              type="text"
              name="receipt"
              placeholder="NLJ7RT61SV"
              required
              autocapitalize="characters"
              autocomplete="off"
              maxlength={64}
            />
          </label>
          <button type="submit">{t(language, 'portal.myPurchases.showButton')}</button>
        </form>
      </section>
      {props.canSendCode && !props.isCodeSent ? (
        <section>
          <h2>{t(language, 'portal.myPurchases.codeHeading')}</h2>
          <form method="post" action={`${props.base}/purchases/code`} id="purchases-send-code">
            {phoneField}
            <button type="submit">{t(language, 'portal.myPurchases.sendCodeButton')}</button>
          </form>
        </section>
      ) : null}
      <p>
        <a href={props.base}>{t(language, 'portal.back')}</a>
      </p>
    </Layout>
  );
}

function PurchasesList(props: {
  base: string;
  branding: PortalBranding;
  page: PageLanguage;
  phone: string;
  purchases: MyPurchase[];
}) {
  const { language } = props.page;
  const column = (name: 'plan' | 'boughtAt' | 'status' | 'remaining') =>
    t(language, `portal.myPurchases.column.${name}`);
  return (
    <Layout branding={props.branding} page={props.page} title={t(language, 'portal.myPurchases.title')}>
      <section data-my-purchases-list>
        <h2>{t(language, 'portal.myPurchases.heading', { phone: `0${props.phone.slice(-9)}` })}</h2>
        {props.purchases.length === 0 ? (
          <p class="note">{t(language, 'portal.myPurchases.none')}</p>
        ) : (
          <ul class="purchases">
            {props.purchases.map((purchase) => (
              <li data-purchase={purchase.id} data-state={purchase.state}>
                <span class="code">{purchase.code}</span>
                <br />
                {column('plan')}: {purchase.planName} ({formatKsh(purchase.amountCents)})
                <br />
                {column('boughtAt')}: {boughtAtFormat.format(purchase.boughtAt)}
                <br />
                {column('status')}: {t(language, `portal.myPurchases.state.${purchase.state}`)}
                <br />
                {column('remaining')}:{' '}
                <b data-remaining-seconds={String(purchase.remainingSeconds)}>
                  {purchase.remainingSeconds > 0 ? formatDuration(language, purchase.remainingSeconds) : '—'}
                </b>
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href={props.base}>{t(language, 'portal.back')}</a>
        </p>
      </section>
    </Layout>
  );
}

function refusalText(outcome: Exclude<ProofOutcome, { kind: 'shown' }>, language: Language): string {
  if (outcome.kind === 'limited') {
    const minutes = minutesText(outcome.retryAfterMs, language);
    return outcome.scope === 'phone'
      ? t(language, 'portal.recover.tooManyTriesForNumber', { minutes })
      : t(language, 'portal.recover.tooManyTries', { minutes });
  }
  return outcome.reason === 'bad_input'
    ? t(language, 'portal.myPurchases.badInput')
    : t(language, 'portal.myPurchases.noMatch');
}

export function myPurchasesPortalRoutes(dependencies: ApiDependencies, portal: PortalLookups): Hono {
  const routes = new Hono();

  /** What every page here needs: the ISP, its database and branding, the page's language. */
  const pageContext = async (context: Context) => {
    const { tenant, database } = await portal.tenantAndDatabase(context.req.param('slug') ?? '');
    return {
      tenant,
      database,
      base: `/portal/${tenant.slug}`,
      branding: await ispBranding(database, tenant.name),
      page: await requestLanguage(context, database),
      canSendCode: await canSendPurchasesCode(dependencies, tenant.id, database),
    };
  };
  const typedPhone = (form: Record<string, unknown>) =>
    String(form['phone'] ?? '').slice(0, PHONE_ECHO_CHARS_MAX);

  const answerProof = async (
    context: Context,
    proofOf: (form: Record<string, unknown>) => PurchasesProof,
  ) => {
    const shown = await pageContext(context);
    const form = await context.req.parseBody();
    const outcome = await showMyPurchases(dependencies, shown.tenant.id, shown.database, {
      phone: String(form['phone'] ?? ''),
      proof: proofOf(form),
      address: portal.clientAddress(context),
    });
    if (outcome.kind === 'shown')
      return context.html(<PurchasesList {...shown} phone={outcome.phone} purchases={outcome.purchases} />);
    return context.html(
      <ProofPage
        {...shown}
        phone={typedPhone(form)}
        isCodeSent={proofOf(form).kind === 'code'}
        notice={{ kind: 'error', text: refusalText(outcome, shown.page.language) }}
      />,
      outcome.kind === 'limited' ? 429 : 200,
    );
  };

  routes.get('/:slug/purchases', async (context) => {
    const shown = await pageContext(context);
    return context.html(<ProofPage {...shown} phone="" notice={null} />);
  });

  routes.post('/:slug/purchases', (context) =>
    answerProof(context, (form) => ({ kind: 'receipt', receipt: String(form['receipt'] ?? '') })),
  );

  routes.post('/:slug/purchases/verify', (context) =>
    answerProof(context, (form) => ({ kind: 'code', code: String(form['code'] ?? '') })),
  );

  routes.post('/:slug/purchases/code', async (context) => {
    const shown = await pageContext(context);
    const form = await context.req.parseBody();
    const { language } = shown.page;
    const outcome = await requestPurchasesCode(
      dependencies,
      shown.tenant.id,
      shown.database,
      { phone: String(form['phone'] ?? ''), address: portal.clientAddress(context) },
      language,
    );
    const phone = typedPhone(form);
    if (outcome.kind === 'requested') {
      const text = t(language, 'portal.myPurchases.codeSent', {
        minutes: minutesText(PURCHASES_CODE_LIFETIME_MS, language),
      });
      return context.html(<ProofPage {...shown} phone={phone} isCodeSent notice={{ kind: 'ok', text }} />);
    }
    const text =
      outcome.kind === 'unavailable'
        ? t(language, 'portal.myPurchases.smsUnavailable')
        : outcome.kind === 'refused'
          ? t(language, 'portal.myPurchases.badInput')
          : refusalText(outcome, language);
    return context.html(
      <ProofPage {...shown} phone={phone} notice={{ kind: 'error', text }} />,
      outcome.kind === 'limited' ? 429 : 200,
    );
  });

  return routes;
}
