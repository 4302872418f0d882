// /api/v1/sms (Tier 2): message templates, the compose preview (count, parts, cost, samples), campaigns to
// one client, a group or everyone with their progress and per-message status, opt-outs, subscriber tags,
// and the callback URLs to give Africa's Talking.

import type { SqlDatabase } from '@kiunga/schemas';
import { normaliseKenyanPhone } from '@kiunga/schemas';
import { z } from 'zod';
import { type Auditor, auditorOf } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { KiungaError } from '../../kernel/errors';
import { pageQuerySchema } from '../../kernel/pagination';
import { routeGroup } from '../../kernel/route';
import { idParamsSchema } from '../../kernel/route-params';
import { tenantDatabaseOf, tenantIdOf } from '../../kernel/tenant-access';
import { smsCallbackUrls } from './callback-addresses';
import { MESSAGE_STATUSES, RATE_PER_SECOND_MAX, segmentSchema, TEMPLATE_CHARS_MAX } from './core/index';
import {
  type CampaignAction,
  type CampaignView,
  campaignView,
  campaignViews,
  changeCampaign,
  changeTemplate,
  createCampaign,
  createTemplate,
  optOut,
  previewCompose,
  removeTemplate,
  resendUnknown,
} from './service';
import {
  isSubscriber,
  listCampaignMessages,
  listCampaigns,
  listOptOuts,
  listTemplates,
  readTemplate,
  removeOptOut,
  replaceSubscriberTags,
  subscriberTags,
} from './store';

/** A name for a template or campaign, as the console lists it. */
const NAME_CHARS_MAX = 80;
/** Opt-outs listed at once: the console shows the latest; more is an export. */
const OPT_OUTS_LISTED_MAX = 500;
/** Tags on one subscriber: a handful describes anyone. */
const TAGS_PER_SUBSCRIBER_MAX = 20;

const templateInputSchema = z.object({
  name: z.string().trim().min(1).max(NAME_CHARS_MAX),
  body: z.string().max(TEMPLATE_CHARS_MAX),
});
const templateOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  body: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

const composeSchema = z
  .object({
    template: z.string().max(TEMPLATE_CHARS_MAX).optional(),
    templateId: z.string().max(64).optional(),
    segment: segmentSchema,
  })
  .refine((input) => (input.template === undefined) !== (input.templateId === undefined), {
    message: 'give either the message (template) or a saved template (templateId)',
  });

const campaignInputSchema = z
  .object({
    name: z.string().trim().min(1).max(NAME_CHARS_MAX),
    template: z.string().max(TEMPLATE_CHARS_MAX).optional(),
    templateId: z.string().max(64).optional(),
    segment: segmentSchema,
    /** Messages per second; 10 when not given. */
    ratePerSecond: z.number().int().min(1).max(RATE_PER_SECOND_MAX).optional(),
    /** false: keep it a draft to send later (POST …/send). */
    send: z.boolean().default(true),
  })
  .refine((input) => (input.template === undefined) !== (input.templateId === undefined), {
    message: 'give either the message (template) or a saved template (templateId)',
  });

const statusCountsSchema = z.record(z.enum(MESSAGE_STATUSES), z.number().int());
const progressSchema = z.object({
  total: z.number().int(),
  finished: z.number().int(),
  percent: z.number().int(),
  byStatus: statusCountsSchema,
});
const draftSchema = z.object({
  recipientId: z.string(),
  to: z.string(),
  text: z.string(),
  parts: z.number().int(),
  encoding: z.string(),
});
const previewSchema = z.object({
  recipientCount: z.number().int(),
  messageCount: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
  partCount: z.number().int(),
  costCents: z.number().int(),
  unicodeMessageCount: z.number().int(),
  samples: z.array(draftSchema),
});
const campaignOutputSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  pauseReason: z.string().nullable(),
  ratePerSecond: z.number().int(),
  template: z.string(),
  segment: segmentSchema,
  recipientCount: z.number().int(),
  skippedCount: z.number().int(),
  messageCount: z.number().int(),
  partCount: z.number().int(),
  costCents: z.number().int(),
  progress: progressSchema,
  createdAt: z.number(),
});
const messageOutputSchema = z.object({
  id: z.string(),
  recipientId: z.string(),
  to: z.string(),
  text: z.string(),
  parts: z.number().int(),
  status: z.enum(MESSAGE_STATUSES),
  attempts: z.number().int(),
  providerMessageId: z.string().nullable(),
  lastError: z.string().nullable(),
  updatedAt: z.number(),
});
const phoneSchema = z
  .string()
  .max(20)
  .transform((value, context) => {
    const phone = normaliseKenyanPhone(value);
    if (phone === null) {
      context.addIssue({ code: 'custom', message: 'a Kenyan mobile number (07…, 01…, +254…)' });
      return z.NEVER;
    }
    return phone;
  });

const sms = routeGroup({ basePath: '/api/v1/sms', tag: 'sms' });

sms.declare({
  method: 'get',
  path: '/templates',
  summary: 'List the saved SMS templates',
  permission: 'sms.read',
  feature: 'sms',
  response: z.object({ items: z.array(templateOutputSchema) }),
  handler: async ({ dependencies, respond }, context) =>
    respond({ items: await listTemplates(tenantDatabaseOf(context, dependencies)) }),
});

sms.declare({
  method: 'post',
  path: '/templates',
  summary:
    'Save a template: {{name}}, {{plan}}, {{expiry}}, {{balance}}, {{accountNumber}}, {{paybill}}, fallbacks as {{name|customer}}',
  permission: 'sms.send',
  feature: 'sms',
  body: templateInputSchema,
  response: templateOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createTemplate(
        tenantDatabaseOf(context, dependencies),
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

sms.declare({
  method: 'get',
  path: '/templates/:id',
  summary: 'One template',
  permission: 'sms.read',
  feature: 'sms',
  params: idParamsSchema,
  response: templateOutputSchema,
  handler: async ({ params, dependencies, respond }, context) => {
    const template = await readTemplate(tenantDatabaseOf(context, dependencies), params.id);
    if (template === undefined) throw new KiungaError('not_found', 'No such template.');
    return respond(template);
  },
});

sms.declare({
  method: 'put',
  path: '/templates/:id',
  summary: 'Change a template',
  permission: 'sms.send',
  feature: 'sms',
  params: idParamsSchema,
  body: templateInputSchema,
  response: templateOutputSchema,
  handler: async ({ params, body, dependencies, respond }, context) =>
    respond(
      await changeTemplate(
        tenantDatabaseOf(context, dependencies),
        params.id,
        body,
        dependencies.clock.now(),
        auditorOf(dependencies, context),
      ),
    ),
});

sms.declare({
  method: 'delete',
  path: '/templates/:id',
  summary: 'Delete a template (campaigns keep the text they were sent with)',
  permission: 'sms.send',
  feature: 'sms',
  params: idParamsSchema,
  responseStatus: 204,
  handler: async ({ params, dependencies }, context) => {
    await removeTemplate(
      tenantDatabaseOf(context, dependencies),
      params.id,
      auditorOf(dependencies, context),
    );
    return context.body(null, 204);
  },
});

sms.declare({
  method: 'post',
  path: '/campaigns/preview',
  summary: 'Before sending: how many messages, how many skipped and why, SMS parts, the cost, three samples',
  permission: 'sms.read',
  feature: 'sms',
  body: composeSchema,
  response: previewSchema,
  handler: async ({ body, dependencies, respond }, context) => {
    const preview = await previewCompose(dependencies, tenantDatabaseOf(context, dependencies), body);
    return respond({ ...preview, skipped: { ...preview.skipped }, samples: [...preview.samples] });
  },
});

sms.declare({
  method: 'post',
  path: '/campaigns',
  summary:
    'Make a campaign to one client, a group or everyone, and send it (or keep it a draft with send: false)',
  permission: 'sms.send',
  feature: 'sms',
  body: campaignInputSchema,
  response: campaignOutputSchema,
  responseStatus: 201,
  handler: async ({ body, dependencies, respond }, context) =>
    respond(
      await createCampaign(dependencies, tenantDatabaseOf(context, dependencies), body, {
        id: context.get('principal').id,
        audit: auditorOf(dependencies, context),
      }),
    ),
});

sms.declare({
  method: 'get',
  path: '/campaigns',
  summary: 'List campaigns, newest first, with their progress',
  permission: 'sms.read',
  feature: 'sms',
  query: pageQuerySchema,
  response: z.object({ items: z.array(campaignOutputSchema), nextCursor: z.string().nullable() }),
  handler: async ({ query, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    const page = await listCampaigns(database, query);
    return respond({ items: await campaignViews(database, page.items), nextCursor: page.nextCursor });
  },
});

sms.declare({
  method: 'get',
  path: '/campaigns/:id',
  summary: 'One campaign and its progress (messages by status)',
  permission: 'sms.read',
  feature: 'sms',
  params: idParamsSchema,
  response: campaignOutputSchema,
  handler: async ({ params, dependencies, respond }, context) =>
    respond(await campaignView(tenantDatabaseOf(context, dependencies), params.id)),
});

type CampaignChange = (
  dependencies: ApiDependencies,
  database: SqlDatabase,
  id: string,
  audit: Auditor,
) => Promise<CampaignView>;
const byAction =
  (action: CampaignAction): CampaignChange =>
  (dependencies, database, id, audit) =>
    changeCampaign(dependencies, database, id, action, audit);
const actions: readonly { path: string; change: CampaignChange; summary: string }[] = [
  { path: 'send', change: byAction('send'), summary: 'Start sending a draft campaign' },
  { path: 'pause', change: byAction('pause'), summary: 'Pause a campaign that is sending' },
  { path: 'resume', change: byAction('resume'), summary: 'Resume a paused campaign' },
  { path: 'cancel', change: byAction('cancel'), summary: 'Cancel a campaign: queued messages are not sent' },
  {
    path: 'resend-unknown',
    change: resendUnknown,
    summary:
      'Send again the messages whose outcome is unknown (they may already have arrived: a second copy is possible)',
  },
];
for (const { path, change, summary } of actions) {
  sms.declare({
    method: 'post',
    path: `/campaigns/:id/${path}`,
    summary,
    permission: 'sms.send',
    feature: 'sms',
    params: idParamsSchema,
    response: campaignOutputSchema,
    handler: async ({ params, dependencies, respond }, context) =>
      respond(
        await change(
          dependencies,
          tenantDatabaseOf(context, dependencies),
          params.id,
          auditorOf(dependencies, context),
        ),
      ),
  });
}

sms.declare({
  method: 'get',
  path: '/campaigns/:id/messages',
  summary: 'A campaign’s messages in sending order, each with its status and delivery report outcome',
  permission: 'sms.read',
  feature: 'sms',
  params: idParamsSchema,
  query: pageQuerySchema.extend({ status: z.enum(MESSAGE_STATUSES).optional() }),
  response: z.object({ items: z.array(messageOutputSchema), nextCursor: z.string().nullable() }),
  handler: async ({ params, query, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    await campaignView(database, params.id);
    return respond(await listCampaignMessages(database, params.id, query));
  },
});

sms.declare({
  method: 'get',
  path: '/opt-outs',
  summary: 'Numbers that sent STOP (or that the ISP opted out), newest first',
  permission: 'sms.read',
  feature: 'sms',
  response: z.object({
    items: z.array(z.object({ phone: z.string(), source: z.string(), createdAt: z.number() })),
  }),
  handler: async ({ dependencies, respond }, context) =>
    respond({
      items: await listOptOuts(tenantDatabaseOf(context, dependencies), OPT_OUTS_LISTED_MAX),
    }),
});

sms.declare({
  method: 'post',
  path: '/opt-outs',
  summary: 'Opt a number out of campaigns and reminders (as if it had sent STOP)',
  permission: 'sms.send',
  feature: 'sms',
  body: z.object({ phone: phoneSchema }),
  responseStatus: 204,
  handler: async ({ body, dependencies }, context) => {
    await optOut(tenantDatabaseOf(context, dependencies), body.phone, 'isp', dependencies.clock.now());
    await auditorOf(dependencies, context)({ action: 'sms.opt_out', target: body.phone });
    return context.body(null, 204);
  },
});

sms.declare({
  method: 'delete',
  path: '/opt-outs/:phone',
  summary: 'Opt a number back in (the client asked for messages again)',
  permission: 'sms.send',
  feature: 'sms',
  params: z.object({ phone: phoneSchema }),
  responseStatus: 204,
  handler: async ({ params, dependencies }, context) => {
    if (!(await removeOptOut(tenantDatabaseOf(context, dependencies), params.phone)))
      throw new KiungaError('not_found', 'This number has not opted out.');
    await auditorOf(dependencies, context)({ action: 'sms.opt_in', target: params.phone });
    return context.body(null, 204);
  },
});

sms.declare({
  method: 'get',
  path: '/subscribers/:id/tags',
  summary: 'The ISP’s tags on a subscriber (a campaign group filter)',
  permission: 'sms.read',
  feature: 'sms',
  params: idParamsSchema,
  response: z.object({ tags: z.array(z.string()) }),
  handler: async ({ params, dependencies, respond }, context) =>
    respond({ tags: await subscriberTags(tenantDatabaseOf(context, dependencies), params.id) }),
});

sms.declare({
  method: 'put',
  path: '/subscribers/:id/tags',
  summary: 'Set the ISP’s tags on a subscriber',
  permission: 'subscribers.write',
  feature: 'sms',
  params: idParamsSchema,
  body: z.object({ tags: z.array(z.string().trim().min(1).max(40)).max(TAGS_PER_SUBSCRIBER_MAX) }),
  response: z.object({ tags: z.array(z.string()) }),
  handler: async ({ params, body, dependencies, respond }, context) => {
    const database = tenantDatabaseOf(context, dependencies);
    if (!(await isSubscriber(database, params.id))) throw new KiungaError('not_found', 'No such subscriber.');
    await replaceSubscriberTags(database, params.id, body.tags);
    await auditorOf(dependencies, context)({ action: 'subscriber.tags', target: params.id, detail: body });
    return respond({ tags: await subscriberTags(database, params.id) });
  },
});

sms.declare({
  method: 'get',
  path: '/callback-urls',
  summary:
    "The URLs to set in Africa's Talking for delivery reports, incoming messages and bulk SMS opt-outs",
  permission: 'settings.write',
  feature: 'sms',
  response: z.object({ delivery: z.string(), incoming: z.string(), optOut: z.string() }),
  handler: async ({ dependencies, respond }, context) =>
    respond(smsCallbackUrls(dependencies, tenantIdOf(context))),
});

export const smsCampaignRoutes = (dependencies: ApiDependencies) => sms.mount(dependencies);
