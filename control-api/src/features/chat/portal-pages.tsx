// The client's side of chat on both portals: /account/<slug>/chat for a signed-in subscriber, and
// /portal/<slug>/chat for a hotspot client who proves a voucher code or (Tier 2) a phone by SMS code.
// Plain forms (multipart, for an attachment) with a redirect after each post; the page's socket adds
// replies live when JavaScript runs.
import { errorCatalogue, KiungaError } from '@kiunga/schemas';
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorMessage, type Language, t } from '../../i18n';
import { requestLanguage } from '../../i18n/request-language';
import { hasValidCsrfToken } from '../../identity/console-sessions';
import { sourceAddressOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { publicTenantBySlug } from '../../kernel/tenant-access';
import type { SignedSubscriber } from '../../self-service/account-changes';
import { CustomerLayout, type PageFrame } from '../../self-service/views';
import { ispBranding } from '../branding/service';
import { endChatCookie, startChatCookie } from './client-cookie';
import { clientChatBase, portalChatClientOf, type SignedChatClient, subscriberChatClient } from './clients';
import { attachmentResponse, textOf, uploadOf } from './http-parts';
import {
  type ChatUpload,
  clientChatView,
  clientOfPhoneCode,
  clientOfVoucher,
  MESSAGE_BODY_CHARS_MAX,
  postClientMessage,
  sendPhoneCode,
} from './service';
import { type ChatClient, findAttachment, findClientConversation } from './store';
import { ChatProofSection, ClientChatSection } from './views';

/** What a client reads when a post is refused, in the page's language. */
function refusalText(error: KiungaError, language: Language): string {
  if (error.code === 'payload_too_large') return t(language, 'chat.attach.tooLarge');
  if (error.code === 'unsupported_media_type') return t(language, 'chat.attach.wrongType');
  return error.message === errorCatalogue[error.code].message
    ? errorMessage(language, error.code)
    : error.message;
}

/** The form's own problems, said in the client's language before the service checks the same. */
function formProblem(body: string, upload: ChatUpload | null, language: Language): string | null {
  if (body.trim().length > MESSAGE_BODY_CHARS_MAX)
    return t(language, 'chat.tooLong', { max: MESSAGE_BODY_CHARS_MAX });
  if (body.trim().length === 0 && upload === null) return t(language, 'chat.empty');
  return null;
}

/** Reads the form, posts the client's message; null when done, else the refusal to show. */
async function postFromForm(
  dependencies: ApiDependencies,
  context: Context,
  tenant: { id: string; database: SignedChatClient['database'] },
  client: ChatClient,
  language: Language,
): Promise<{ text: string; status: ContentfulStatusCode } | null> {
  const form = await context.req.parseBody();
  const body = textOf(form, 'body');
  const upload = await uploadOf(form);
  const problem = formProblem(body, upload, language);
  if (problem !== null) return { text: problem, status: 400 };
  try {
    await postClientMessage(dependencies, tenant, client, { body, upload, language });
    return null;
  } catch (error) {
    if (!(error instanceof KiungaError)) throw error;
    return { text: refusalText(error, language), status: error.httpStatus as ContentfulStatusCode };
  }
}

/** An attachment of this client's own conversation; anything else is not found. */
async function clientAttachment(
  database: SignedChatClient['database'],
  client: ChatClient,
  attachmentId: string,
) {
  const conversation = await findClientConversation(database, client);
  const attachment = conversation ? await findAttachment(database, conversation.id, attachmentId) : null;
  if (attachment === null) throw new KiungaError('not_found', 'No such attachment.');
  return attachmentResponse(attachment);
}

/** Adds /account/<slug>/chat… to the signed-in routes (the caller checked the session and CSRF). */
export function mountCustomerChat(
  routes: Hono<{ Variables: { signed: SignedSubscriber } }>,
  dependencies: ApiDependencies,
  frame: (signed: SignedSubscriber, current: 'chat') => PageFrame,
): void {
  const render = async (
    context: Context<{ Variables: { signed: SignedSubscriber } }>,
    error: string | null,
    status: ContentfulStatusCode = 200,
  ) => {
    const signed = context.get('signed');
    const view = await clientChatView(signed.database, subscriberChatClient(signed.profile));
    return context.html(
      <CustomerLayout {...frame(signed, 'chat')} title={t(signed.page.language, 'chat.title')}>
        <ClientChatSection
          base={clientChatBase('account', signed.tenant.slug)}
          language={signed.page.language}
          csrfToken={signed.csrfToken}
          conversation={view.conversation}
          messages={view.messages}
          error={error}
        />
      </CustomerLayout>,
      status,
    );
  };

  routes.get('/:slug/chat', (context) => render(context, null));

  routes.post('/:slug/chat/messages', async (context) => {
    const signed = context.get('signed');
    const refusal = await postFromForm(
      dependencies,
      context,
      { id: signed.tenant.id, database: signed.database },
      subscriberChatClient(signed.profile),
      signed.page.language,
    );
    if (refusal !== null) return render(context, refusal.text, refusal.status);
    return context.redirect(clientChatBase('account', signed.tenant.slug), 303);
  });

  routes.get('/:slug/chat/attachments/:attachmentId', async (context) => {
    const signed = context.get('signed');
    return clientAttachment(
      signed.database,
      subscriberChatClient(signed.profile),
      context.req.param('attachmentId'),
    );
  });
}

/** /portal/<slug>/chat…: mount on the captive portal's routes. */
export function chatPortalRoutes(dependencies: ApiDependencies): Hono {
  const routes = new Hono();
  const addressOf = (context: Context) => sourceAddressOf(context, dependencies) ?? 'unknown';

  const ispOf = async (context: Context) => {
    const tenant = await publicTenantBySlug(dependencies.databases.platform, context.req.param('slug') ?? '');
    const database = dependencies.databases.forTenant(tenant.id);
    const page = await requestLanguage(context, database);
    const canUsePhone = (await tenantFeatures(dependencies.databases.platform, tenant.id))('sms');
    return { tenant, database, page, canUsePhone, branding: await ispBranding(database, tenant.name) };
  };
  type Isp = Awaited<ReturnType<typeof ispOf>>;

  const page = (isp: Isp, body: Child, status: ContentfulStatusCode, context: Context) =>
    context.html(
      <CustomerLayout
        branding={isp.branding}
        page={isp.page}
        slug={isp.tenant.slug}
        title={t(isp.page.language, 'chat.title')}
      >
        {body}
        <p>
          <a href={`/portal/${isp.tenant.slug}`}>{t(isp.page.language, 'portal.back')}</a>
        </p>
      </CustomerLayout>,
      status,
    );

  const proofPage = (
    context: Context,
    isp: Isp,
    options: { error?: string | null; codeSentTo?: string | null; status?: ContentfulStatusCode } = {},
  ) =>
    page(
      isp,
      <ChatProofSection
        base={clientChatBase('portal', isp.tenant.slug)}
        language={isp.page.language}
        canUsePhone={isp.canUsePhone}
        codeSentTo={options.codeSentTo ?? null}
        error={options.error ?? null}
      />,
      options.status ?? 200,
      context,
    );

  const threadPage = async (
    context: Context,
    isp: Isp,
    signed: SignedChatClient,
    error: string | null = null,
    status: ContentfulStatusCode = 200,
  ) => {
    const view = await clientChatView(isp.database, signed.client);
    const base = clientChatBase('portal', isp.tenant.slug);
    return page(
      isp,
      <>
        <ClientChatSection
          base={base}
          language={isp.page.language}
          csrfToken={signed.csrfToken}
          conversation={view.conversation}
          messages={view.messages}
          error={error}
        />
        <form method="post" action={`${base}/leave`}>
          <input type="hidden" name="_csrf" value={signed.csrfToken} />
          <button type="submit">{t(isp.page.language, 'chat.leave')}</button>
        </form>
      </>,
      status,
      context,
    );
  };

  const proven = async (context: Context, isp: Isp, client: ChatClient | null, refusal: string) => {
    if (client === null || client.kind === 'subscriber')
      return proofPage(context, isp, { error: refusal, status: 400 });
    startChatCookie(dependencies, context, isp.tenant, { ...client, kind: client.kind });
    return context.redirect(clientChatBase('portal', isp.tenant.slug), 303);
  };

  /** A refused proof (limits, tier) as the proof page with the reason. */
  const refused = (context: Context, isp: Isp, error: unknown) => {
    if (!(error instanceof KiungaError)) throw error;
    return proofPage(context, isp, {
      error: refusalText(error, isp.page.language),
      status: error.httpStatus as ContentfulStatusCode,
    });
  };

  routes.get('/:slug/chat', async (context) => {
    const isp = await ispOf(context);
    const signed = await portalChatClientOf(dependencies, context, isp.tenant.slug);
    return signed ? threadPage(context, isp, signed) : proofPage(context, isp);
  });

  routes.post('/:slug/chat/voucher', async (context) => {
    const isp = await ispOf(context);
    const form = await context.req.parseBody();
    try {
      const client = await clientOfVoucher(
        dependencies,
        isp.database,
        textOf(form, 'code').slice(0, 64),
        addressOf(context),
      );
      return proven(context, isp, client, t(isp.page.language, 'chat.verify.badVoucher'));
    } catch (error) {
      return refused(context, isp, error);
    }
  });

  routes.post('/:slug/chat/phone', async (context) => {
    const isp = await ispOf(context);
    const form = await context.req.parseBody();
    try {
      const phone = await sendPhoneCode(
        dependencies,
        { id: isp.tenant.id, database: isp.database },
        textOf(form, 'phone').slice(0, 32),
        addressOf(context),
        isp.page.language,
      );
      return proofPage(context, isp, { codeSentTo: phone });
    } catch (error) {
      return refused(context, isp, error);
    }
  });

  routes.post('/:slug/chat/phone/confirm', async (context) => {
    const isp = await ispOf(context);
    if (!isp.canUsePhone) return refused(context, isp, new KiungaError('feature_not_in_tier'));
    const form = await context.req.parseBody();
    try {
      const client = await clientOfPhoneCode(
        dependencies,
        isp.database,
        textOf(form, 'phone').slice(0, 32),
        textOf(form, 'code').slice(0, 16),
        addressOf(context),
      );
      return proven(context, isp, client, t(isp.page.language, 'chat.verify.badCode'));
    } catch (error) {
      return refused(context, isp, error);
    }
  });

  /** The chat cookie's client, and its CSRF token on posts; else the proof page (or 403). */
  const signedOrRefuse = async (context: Context, isp: Isp) => {
    const signed = await portalChatClientOf(dependencies, context, isp.tenant.slug);
    if (signed === null) throw new KiungaError('unauthenticated', t(isp.page.language, 'chat.verify.intro'));
    if (!(await hasValidCsrfToken(context, signed.csrfToken))) throw new KiungaError('csrf_failed');
    return signed;
  };

  routes.post('/:slug/chat/messages', async (context) => {
    const isp = await ispOf(context);
    const signed = await signedOrRefuse(context, isp);
    const refusal = await postFromForm(
      dependencies,
      context,
      { id: isp.tenant.id, database: isp.database },
      signed.client,
      isp.page.language,
    );
    if (refusal !== null) return threadPage(context, isp, signed, refusal.text, refusal.status);
    return context.redirect(clientChatBase('portal', isp.tenant.slug), 303);
  });

  routes.post('/:slug/chat/leave', async (context) => {
    const isp = await ispOf(context);
    await signedOrRefuse(context, isp);
    endChatCookie(context, isp.tenant.slug);
    return context.redirect(`/portal/${isp.tenant.slug}`, 303);
  });

  routes.get('/:slug/chat/attachments/:attachmentId', async (context) => {
    const isp = await ispOf(context);
    const signed = await portalChatClientOf(dependencies, context, isp.tenant.slug);
    if (signed === null) throw new KiungaError('not_found', 'No such attachment.');
    return clientAttachment(isp.database, signed.client, context.req.param('attachmentId'));
  });

  return routes;
}
