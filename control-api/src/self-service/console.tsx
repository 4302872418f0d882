// /account/<slug>: a PPPoE/static subscriber's self-service (sign in, account, invoices, statement,
// usage, pay with M-Pesa). Public routes: the tenant comes from the slug, the subscriber only from
// the signed session cookie, and every read is filtered by that subscriber.

import { KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { type InvoiceDocumentInput, renderInvoicePdf } from '../billing/invoice-document';
import { getInvoice, listInvoices, subscriberStatement } from '../billing/queries';
import type { IspBranding } from '../console/branded-page';
import { mountCustomerChat } from '../features/chat/portal-pages';
import { ReferralSection, subscriberReferralOf } from '../features/referrals/portal-parts';
import { ownUsageChart } from '../features/usage/service';
import { t } from '../i18n';
import {
  explicitLanguageOf,
  type PageLanguage,
  pageLanguageOf,
  requestLanguage,
} from '../i18n/request-language';
import { hasValidCsrfToken } from '../identity/console-sessions';
import { setRetryAfter } from '../identity/login-limits';
import type { ApiDependencies } from '../kernel/dependencies';
import { mountAccountChanges } from './account-changes';
import { mountEmailPage, mountPasswordResetPages } from './email-pages';
import {
  findSubscriberPayment,
  mpesaAmountToAsk,
  parseShillings,
  paymentRefusalMessage,
  startSubscriberPayment,
  subscriberPaymentView,
} from './payment';
import { type SelfServiceIsp, selfServiceIspOf, signedSubscriberOf, signInSubscriber } from './service';
import { endCustomerSession } from './session';
import {
  INVOICES_SHOWN_MAX,
  recentSessions,
  STATEMENT_LINES_SHOWN_MAX,
  type SubscriberProfile,
  saveSubscriberLanguage,
} from './store';
import {
  type CustomerPageName,
  InvoicePage,
  InvoicesPage,
  LoginPage,
  MessagePage,
  OverviewPage,
  type PageFrame,
  PaymentStatusPage,
  PayPage,
  StatementPage,
  UsagePage,
} from './views';

const LOGIN_FIELD_LENGTH_MAX = 128;

interface Signed extends SelfServiceIsp {
  profile: SubscriberProfile;
  csrfToken: string;
  page: PageLanguage;
}

type CustomerEnv = { Variables: { signed: Signed } };

function frame(signed: Signed, current: CustomerPageName | null): PageFrame {
  return {
    branding: signed.branding,
    page: signed.page,
    slug: signed.tenant.slug,
    session: { csrfToken: signed.csrfToken, current },
  };
}

/** The signed-in subscriber with the page's language; their own choice is kept for the SMS sent to them. */
async function signedWithLanguage(
  context: Context,
  isp: SelfServiceIsp,
  subscriber: Omit<Signed, keyof SelfServiceIsp | 'page'>,
): Promise<Signed> {
  const chosen = explicitLanguageOf(context);
  if (chosen !== null) await saveSubscriberLanguage(isp.database, subscriber.profile.id, chosen);
  return { ...isp, ...subscriber, page: await requestLanguage(context, isp.database) };
}

const loginSchema = z.object({
  login: z.string().trim().min(1).max(LOGIN_FIELD_LENGTH_MAX),
  password: z.string().min(1).max(LOGIN_FIELD_LENGTH_MAX),
});

export function selfServiceRoutes(dependencies: ApiDependencies): Hono<CustomerEnv> {
  const routes = new Hono<CustomerEnv>();
  const tenantOf = (slug: string) => selfServiceIspOf(dependencies, slug);

  routes.get('/:slug/login', async (context) => {
    const { tenant, branding, database } = await tenantOf(context.req.param('slug'));
    return context.html(
      <LoginPage branding={branding} page={await requestLanguage(context, database)} slug={tenant.slug} />,
    );
  });

  routes.post('/:slug/login', async (context) => {
    const isp = await tenantOf(context.req.param('slug'));
    const form = await context.req.parseBody();
    const parsed = loginSchema.safeParse({ login: form['login'], password: form['password'] });
    const login = typeof form['login'] === 'string' ? form['login'].slice(0, LOGIN_FIELD_LENGTH_MAX) : '';
    const page = await requestLanguage(context, isp.database);
    const outcome = await signInSubscriber(
      dependencies,
      context,
      isp,
      login,
      parsed.success ? parsed.data : null,
      page.language,
    );
    if (outcome.isSignedIn) return context.redirect(`/account/${isp.tenant.slug}`, 303);
    if (outcome.retryAfterMs !== undefined) setRetryAfter(context, outcome.retryAfterMs);
    return context.html(
      <LoginPage
        branding={isp.branding}
        page={page}
        slug={isp.tenant.slug}
        login={login}
        error={outcome.message}
      />,
      outcome.status,
    );
  });

  mountPasswordResetPages(routes, dependencies);

  // Everything below needs the session; unsafe methods also need its CSRF token.
  routes.use('/:slug/*', async (context, next) => {
    const isp = await tenantOf(context.req.param('slug') ?? '');
    const subscriber = await signedSubscriberOf(dependencies, context, isp);
    if (!subscriber) {
      if (context.req.method !== 'GET') throw new KiungaError('unauthenticated', 'Sign in again.');
      return context.redirect(`/account/${isp.tenant.slug}/login`, 303);
    }
    if (context.req.method !== 'GET' && !(await hasValidCsrfToken(context, subscriber.csrfToken))) {
      throw new KiungaError('csrf_failed');
    }
    context.set('signed', await signedWithLanguage(context, isp, subscriber));
    await next();
  });

  mountAccountChanges(routes, dependencies, frame);
  mountEmailPage(routes, dependencies, frame);
  mountCustomerChat(routes, dependencies, frame);

  routes.get('/:slug', async (context) => {
    const isp = await tenantOf(context.req.param('slug'));
    const subscriber = await signedSubscriberOf(dependencies, context, isp);
    if (!subscriber) return context.redirect(`/account/${isp.tenant.slug}/login`, 303);
    const signed = await signedWithLanguage(context, isp, subscriber);
    return context.html(
      <OverviewPage
        {...frame(signed, 'overview')}
        profile={subscriber.profile}
        statement={await subscriberStatement(isp.database, subscriber.profile.id)}
      >
        <ReferralSection
          referral={await subscriberReferralOf(isp.database, subscriber.profile, dependencies.clock.now())}
          portalUrl={`${dependencies.publicUrl}/portal/${isp.tenant.slug}`}
        />
      </OverviewPage>,
    );
  });

  routes.post('/:slug/logout', (context) => {
    const { tenant } = context.get('signed');
    endCustomerSession(context, tenant.slug);
    return context.redirect(`/account/${tenant.slug}/login`, 303);
  });

  routes.get('/:slug/invoices', async (context) => {
    const signed = context.get('signed');
    const page = await listInvoices(signed.database, {
      subscriberId: signed.profile.id,
      limit: INVOICES_SHOWN_MAX,
    });
    return context.html(<InvoicesPage {...frame(signed, 'invoices')} invoices={page.items} />);
  });

  // `inv_x` is the page, `inv_x.pdf` the download: invoice ids never contain a dot.
  routes.get('/:slug/invoices/:id', async (context) => {
    const signed = context.get('signed');
    const [id = '', format = 'html'] = context.req.param('id').split('.', 2);
    const invoice = await getInvoice(signed.database, id);
    // Another subscriber's invoice is as unknown here as one that does not exist.
    if (invoice.subscriberId !== signed.profile.id) throw new KiungaError('not_found', 'No such invoice.');
    const document: InvoiceDocumentInput = {
      ispName: signed.branding.name,
      subscriber: {
        fullName: signed.profile.fullName,
        phone: signed.profile.phone,
        accountNumber: invoice.accountNumber,
      },
      invoice,
      language: signed.page.language,
    };
    if (format === 'html')
      return context.html(<InvoicePage {...frame(signed, 'invoices')} document={document} />);
    if (format !== 'pdf') throw new KiungaError('not_found', 'No such invoice.');
    const pdf = await renderInvoicePdf(document);
    return context.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${invoice.number}.pdf"`,
    });
  });

  routes.get('/:slug/statement', async (context) => {
    const signed = context.get('signed');
    return context.html(
      <StatementPage
        {...frame(signed, 'statement')}
        statement={await subscriberStatement(signed.database, signed.profile.id)}
        linesMax={STATEMENT_LINES_SHOWN_MAX}
      />,
    );
  });

  routes.get('/:slug/usage', async (context) => {
    const signed = context.get('signed');
    return context.html(
      <UsagePage
        {...frame(signed, 'usage')}
        sessions={await recentSessions(signed.database, signed.profile.id)}
        usageChart={await ownUsageChart(signed.database, signed.profile.id, dependencies.clock.now())}
      />,
    );
  });

  const payPage = async (signed: Signed, values: { phone?: string; shillings?: string; error?: string }) => {
    const statement = await subscriberStatement(signed.database, signed.profile.id);
    const toAsk = mpesaAmountToAsk(statement.balanceCents);
    return (
      <PayPage
        {...frame(signed, 'pay')}
        outstandingCents={Math.max(0, statement.balanceCents)}
        creditLeftCents={toAsk.creditLeftCents}
        accountNumber={signed.profile.accountNumber}
        phone={values.phone ?? signed.profile.phone ?? ''}
        shillings={values.shillings ?? (toAsk.shillings > 0 ? String(toAsk.shillings) : '')}
        error={values.error ?? null}
      />
    );
  };

  routes.get('/:slug/pay', async (context) => context.html(await payPage(context.get('signed'), {})));

  routes.post('/:slug/pay', async (context) => {
    const signed = context.get('signed');
    const form = await context.req.parseBody();
    const phone = typeof form['phone'] === 'string' ? form['phone'].slice(0, 20) : '';
    const amount = typeof form['amount'] === 'string' ? form['amount'].slice(0, 20) : '';
    const shillings = parseShillings(amount);
    const { language } = signed.page;
    if (shillings === null) {
      const error = t(language, 'account.pay.badAmount');
      return context.html(await payPage(signed, { phone, shillings: amount, error }), 400);
    }
    try {
      const payment = await startSubscriberPayment(dependencies, signed.tenant.id, signed.database, {
        subscriberId: signed.profile.id,
        accountNumber: signed.profile.accountNumber,
        phone,
        shillings,
      });
      return context.redirect(`/account/${signed.tenant.slug}/payments/${payment.id}`, 303);
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      return context.html(
        await payPage(signed, { phone, shillings: amount, error: paymentRefusalMessage(language, error) }),
        error.httpStatus as ContentfulStatusCode,
      );
    }
  });

  routes.get('/:slug/payments/:id', async (context) => {
    const signed = context.get('signed');
    const payment = await findSubscriberPayment(signed.database, signed.profile.id, context.req.param('id'));
    return context.html(
      <PaymentStatusPage
        {...frame(signed, 'pay')}
        payment={subscriberPaymentView(payment, signed.page.language)}
      />,
    );
  });

  // Errors on these pages are pages too (the API's JSON error shape is for API clients).
  routes.onError((error, context) => {
    if (!(error instanceof KiungaError)) throw error;
    const slug = context.req.param('slug') ?? '';
    const branding: IspBranding = {
      name: 'Kiunga',
      logo: null,
      primaryColor: '#0b6e4f',
      accentColor: '#f59e0b',
    };
    // The ISP may be the error (no such slug): its default is not read here.
    const page = pageLanguageOf(context, null);
    return context.html(
      <MessagePage
        branding={branding}
        page={page}
        slug={slug}
        title={t(page.language, 'account.notAvailable')}
        kind="error"
        message={error.message}
      />,
      error.httpStatus as ContentfulStatusCode,
    );
  });

  return routes;
}
