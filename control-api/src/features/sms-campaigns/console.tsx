// ISP console SMS page (/isp/sms): compose with a live preview, campaigns and their progress, one
// campaign's messages; every action goes through the /api/v1/sms API.
import { type Context, Hono } from 'hono';
import { ISP_NAV } from '../../console/isp-nav';
import {
  type AppFetch,
  assertPermission,
  callApi,
  can,
  formFields,
  redirectWithFlash,
  renderHtml,
  tenantShell,
  withFormErrors,
  withQuery,
} from '../../console/support';
import type { ApiDependencies, AppEnv } from '../../kernel/dependencies';
import { KiungaError } from '../../kernel/errors';
import type { CampaignPreview, Segment } from './core/index';
import type { CampaignView } from './service';
import { CampaignPage, type ComposeDraft, type MessageRowView, SmsPage } from './views';

const CAMPAIGNS_SHOWN = 25;
const MESSAGES_SHOWN = 100;
const CAMPAIGN_ACTIONS = new Set(['send', 'pause', 'resume', 'cancel', 'resend-unknown']);

function draftOf(fields: Record<string, string | undefined>): ComposeDraft {
  return {
    name: fields.name ?? '',
    template: fields.template ?? '',
    planId: fields.planId ?? '',
    tag: fields.tag ?? '',
    expiresWithinDays: fields.expiresWithinDays ?? '',
    owesMoreThanShillings: fields.owesMoreThanShillings ?? '',
  };
}

/** The compose form's fields as the API's segment: no filter is everyone. */
function segmentOf(draft: ComposeDraft): Segment {
  const number = (text: string, label: string) => {
    const value = Number(text.trim());
    if (!Number.isInteger(value) || value < 0)
      throw new KiungaError('validation_failed', `${label}: a whole number.`);
    return value;
  };
  const filters = {
    ...(draft.planId ? { planIds: [draft.planId] } : {}),
    ...(draft.tag.trim() ? { tags: [draft.tag.trim()] } : {}),
    ...(draft.expiresWithinDays.trim()
      ? { expiresWithinDays: number(draft.expiresWithinDays, 'Expires within') }
      : {}),
    ...(draft.owesMoreThanShillings.trim()
      ? { owesMoreThanCents: number(draft.owesMoreThanShillings, 'Owes more than') * 100 }
      : {}),
  };
  return Object.keys(filters).length === 0 ? { kind: 'all' } : { kind: 'group', filters };
}

export function ispSmsRoutes(dependencies: ApiDependencies, fetchApp: AppFetch): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const shell = (context: Context<AppEnv>) => tenantShell(context, dependencies, ISP_NAV);
  const preview = (context: Context<AppEnv>, draft: ComposeDraft) =>
    callApi<CampaignPreview>(context, fetchApp, 'POST', '/api/v1/sms/campaigns/preview', {
      template: draft.template,
      segment: segmentOf(draft),
    });

  routes.get('/sms', async (context) => {
    assertPermission(context, 'sms.read');
    const draft = draftOf(context.req.query());
    let previewed: CampaignPreview | null = null;
    let previewError: string | null = null;
    if (draft.template.trim() !== '') {
      try {
        previewed = await preview(context, draft);
      } catch (error) {
        if (!(error instanceof KiungaError) || error.httpStatus !== 400) throw error;
        previewError = error.message;
      }
    }
    const [campaigns, plans] = await Promise.all([
      callApi<{ items: CampaignView[] }>(
        context,
        fetchApp,
        'GET',
        withQuery('/api/v1/sms/campaigns', { limit: CAMPAIGNS_SHOWN }),
      ),
      callApi<{ items: { id: string; name: string }[] }>(context, fetchApp, 'GET', '/api/v1/plans?limit=200'),
    ]);
    return renderHtml(
      context,
      <SmsPage
        shell={shell(context)}
        draft={draft}
        plans={plans.items}
        preview={previewed}
        previewError={previewError}
        campaigns={campaigns.items}
        canSend={can(context, 'sms.send')}
      />,
    );
  });

  // The live preview's figures as the ISP types.
  routes.get('/sms/preview.json', async (context) => {
    assertPermission(context, 'sms.read');
    const draft = draftOf(context.req.query());
    try {
      const figures = await preview(context, draft);
      return context.json({ ...figures, sample: figures.samples[0]?.text ?? null });
    } catch (error) {
      if (!(error instanceof KiungaError) || error.httpStatus !== 400) throw error;
      return context.json({ error: error.message });
    }
  });

  routes.post('/sms/campaigns', (context) =>
    withFormErrors(context, '/isp/sms', async () => {
      const draft = draftOf(await formFields(context));
      const created = await callApi<CampaignView>(context, fetchApp, 'POST', '/api/v1/sms/campaigns', {
        name: draft.name.trim(),
        template: draft.template,
        segment: segmentOf(draft),
      });
      return redirectWithFlash(
        context,
        `/isp/sms/campaigns/${created.id}`,
        'ok',
        `Sending ${created.messageCount} messages.`,
      );
    }),
  );

  routes.get('/sms/campaigns/:id', async (context) => {
    assertPermission(context, 'sms.read');
    const id = encodeURIComponent(context.req.param('id'));
    const campaign = await callApi<CampaignView>(context, fetchApp, 'GET', `/api/v1/sms/campaigns/${id}`);
    const messages = await callApi<{ items: MessageRowView[]; nextCursor: string | null }>(
      context,
      fetchApp,
      'GET',
      withQuery(`/api/v1/sms/campaigns/${id}/messages`, {
        limit: MESSAGES_SHOWN,
        cursor: context.req.query('cursor'),
      }),
    );
    return renderHtml(
      context,
      <CampaignPage
        shell={shell(context)}
        campaign={campaign}
        messages={messages.items}
        nextCursor={messages.nextCursor}
        canSend={can(context, 'sms.send')}
      />,
    );
  });

  routes.post('/sms/campaigns/:id/:action', (context) => {
    const id = encodeURIComponent(context.req.param('id'));
    const back = `/isp/sms/campaigns/${id}`;
    return withFormErrors(context, back, async () => {
      const action = context.req.param('action');
      if (!CAMPAIGN_ACTIONS.has(action)) throw new KiungaError('not_found');
      await callApi<CampaignView>(context, fetchApp, 'POST', `/api/v1/sms/campaigns/${id}/${action}`);
      return redirectWithFlash(context, back, 'ok', 'Done.');
    });
  });
  return routes;
}
