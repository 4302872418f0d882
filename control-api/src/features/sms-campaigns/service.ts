// SMS to clients: templates, the preview, campaigns (made, started, paused, resumed, cancelled, unknown
// messages resent) and their progress, delivery reports and inbound STOP/START from the gateway.
import { KiungaError, newId, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { bulkOptOutSchema, incomingMessageSchema, notificationFields } from '../../integrations/sms/index';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { readMpesaSettings } from '../../mpesa/settings';
import { applyMessageEvents, insertCampaign, readCampaignRun, writeCampaignRun } from './campaign-store';
import {
  type CampaignContext,
  type CampaignPreview,
  type CampaignProgress,
  type CampaignRun,
  campaignProgress,
  cancelCampaign,
  newCampaignRun,
  type ParsedTemplate,
  parseDeliveryReport,
  parseInboundIntent,
  parseTemplate,
  pauseCampaign,
  previewCampaign,
  type RenderedCampaign,
  renderCampaign,
  resumeCampaign,
  type Segment,
  startCampaign,
} from './core/index';
import {
  type CampaignRow,
  campaignOfProviderMessage,
  campaignTotals,
  cancelQueuedMessages,
  deleteTemplate,
  insertTemplate,
  optedOutPhones,
  readCampaign,
  readTemplate,
  recordOptOut,
  removeOptOut,
  segmentRecipients,
  storeDeliveryReport,
  type TemplateRow,
  updateTemplate,
} from './store';

/**
 * What one SMS part costs the ISP when it has not said: Africa's Talking's Kenyan bulk rate is about
 * KES 0.80 a part (its pricing page, SMS, Kenya); the preview's cost is an estimate at this price.
 */
export const SMS_PART_PRICE_CENTS_DEFAULT = 80;
/** Recipients of one campaign: a large ISP's whole client list, and the width of message ids' positions. */
export const CAMPAIGN_RECIPIENTS_MAX = 100_000;
const POSITION_DIGITS = String(CAMPAIGN_RECIPIENTS_MAX).length;

export function parsedTemplateOrThrow(source: string): ParsedTemplate {
  const parsed = parseTemplate(source);
  if (!parsed.ok) {
    throw new KiungaError(
      'template_invalid',
      parsed.problems.map((problem) => problem.message).join(' '),
      undefined,
      { problems: parsed.problems },
    );
  }
  return parsed.template;
}

// Templates.

export async function createTemplate(
  database: SqlDatabase,
  input: { name: string; body: string },
  nowMs: number,
  audit: Auditor,
): Promise<TemplateRow> {
  parsedTemplateOrThrow(input.body);
  const row = {
    id: newId('smsTemplate'),
    name: input.name,
    body: input.body,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  await insertTemplate(database, row);
  await audit({ action: 'sms_template.create', target: row.id, detail: { name: row.name } });
  return row;
}

export async function changeTemplate(
  database: SqlDatabase,
  id: string,
  input: { name: string; body: string },
  nowMs: number,
  audit: Auditor,
): Promise<TemplateRow> {
  parsedTemplateOrThrow(input.body);
  if (!(await updateTemplate(database, id, input, nowMs))) throw new KiungaError('not_found');
  await audit({ action: 'sms_template.update', target: id, detail: { name: input.name } });
  return (await readTemplate(database, id))!;
}

export async function removeTemplate(database: SqlDatabase, id: string, audit: Auditor): Promise<void> {
  if (!(await deleteTemplate(database, id))) throw new KiungaError('not_found');
  await audit({ action: 'sms_template.delete', target: id });
}

// Compose, preview, create.

export interface ComposeInput {
  readonly template?: string | undefined;
  readonly templateId?: string | undefined;
  readonly segment: Segment;
}

async function templateSourceOf(database: SqlDatabase, input: ComposeInput): Promise<string> {
  if (input.template !== undefined) return input.template;
  if (input.templateId === undefined)
    throw new KiungaError(
      'validation_failed',
      'Give the message (template) or a saved template (templateId).',
    );
  const saved = await readTemplate(database, input.templateId);
  if (saved === undefined) throw new KiungaError('not_found', 'No such template.');
  return saved.body;
}

export async function campaignContext(
  dependencies: ApiDependencies,
  database: SqlDatabase,
): Promise<CampaignContext> {
  const mpesa = await readMpesaSettings(dependencies, database);
  return { paybill: mpesa?.partyB ?? mpesa?.shortcode ?? null };
}

async function render(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  input: ComposeInput,
): Promise<{ source: string; rendered: RenderedCampaign }> {
  const source = await templateSourceOf(database, input);
  const template = parsedTemplateOrThrow(source);
  const recipients = await segmentRecipients(database, input.segment, dependencies.clock.now());
  if (recipients.length > CAMPAIGN_RECIPIENTS_MAX) {
    throw new KiungaError(
      'validation_failed',
      `A campaign goes to at most ${CAMPAIGN_RECIPIENTS_MAX} clients; narrow the group.`,
    );
  }
  const rendered = renderCampaign({
    template,
    recipients,
    context: await campaignContext(dependencies, database),
    optedOutPhones: await optedOutPhones(database),
  });
  return { source, rendered };
}

export async function previewCompose(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  input: ComposeInput,
): Promise<CampaignPreview> {
  const { rendered } = await render(dependencies, database, input);
  return previewCampaign(rendered, SMS_PART_PRICE_CENTS_DEFAULT);
}

export async function createCampaign(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  input: ComposeInput & { name: string; ratePerSecond?: number | undefined; send: boolean },
  actor: { id: string | null; audit: Auditor },
): Promise<CampaignView> {
  const { source, rendered } = await render(dependencies, database, input);
  const nowMs = dependencies.clock.now();
  const id = newId('smsCampaign');
  const draft = newCampaignRun(input.ratePerSecond);
  await insertCampaign(
    database,
    {
      id,
      name: input.name,
      template: source,
      segment: JSON.stringify(input.segment),
      run: input.send ? startCampaign(draft, nowMs) : draft,
      partPriceCents: SMS_PART_PRICE_CENTS_DEFAULT,
      skippedCount: rendered.skipped.length,
      createdBy: actor.id,
      messages: rendered.messages.map((message, index) => ({
        id: `${id}.${String(index).padStart(POSITION_DIGITS, '0')}`,
        recipientId: message.recipientId,
        to: message.to,
        text: message.text,
        parts: message.parts,
      })),
    },
    nowMs,
  );
  await actor.audit({
    action: 'sms_campaign.create',
    target: id,
    detail: { name: input.name, messages: rendered.messages.length, send: input.send },
  });
  return campaignView(database, id);
}

// Views.

export interface CampaignView {
  id: string;
  name: string;
  status: string;
  pauseReason: string | null;
  ratePerSecond: number;
  template: string;
  segment: Segment;
  recipientCount: number;
  skippedCount: number;
  messageCount: number;
  partCount: number;
  costCents: number;
  progress: CampaignProgress;
  createdAt: number;
}

function viewOf(row: CampaignRow, totals: Awaited<ReturnType<typeof campaignTotals>>): CampaignView {
  const progress = campaignProgress(totals.byStatus);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    pauseReason: row.pauseReason,
    ratePerSecond: row.ratePerSecond,
    template: row.template,
    segment: JSON.parse(row.segment) as Segment,
    recipientCount: row.recipientCount,
    skippedCount: row.skippedCount,
    messageCount: progress.total,
    partCount: totals.partCount,
    costCents: totals.partCount * row.partPriceCents,
    progress,
    createdAt: row.createdAt,
  };
}

export async function campaignView(database: SqlDatabase, id: string): Promise<CampaignView> {
  const row = await readCampaign(database, id);
  if (row === undefined) throw new KiungaError('not_found', 'No such campaign.');
  return viewOf(row, await campaignTotals(database, id));
}

export async function campaignViews(
  database: SqlDatabase,
  rows: readonly CampaignRow[],
): Promise<CampaignView[]> {
  return Promise.all(rows.map(async (row) => viewOf(row, await campaignTotals(database, row.id))));
}

// Run changes by the ISP.

export type CampaignAction = 'send' | 'pause' | 'resume' | 'cancel';

/** Changes the run as the ISP asked, with a compare-and-set on the status it read (the sender may be busy). */
export async function changeCampaign(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  id: string,
  action: CampaignAction,
  audit: Auditor,
): Promise<CampaignView> {
  const nowMs = dependencies.clock.now();
  await database.transaction(async (transaction) => {
    const run = await readCampaignRun(transaction, id);
    if (run === null) throw new KiungaError('not_found', 'No such campaign.');
    const next = nextRun(run, action, nowMs);
    if (!(await writeCampaignRun(transaction, id, next, run.status, nowMs)))
      throw new KiungaError('conflict', 'The campaign changed meanwhile; look again.');
    if (action === 'cancel') await cancelQueuedMessages(transaction, id, nowMs);
  });
  await audit({ action: `sms_campaign.${action}`, target: id });
  return campaignView(database, id);
}

function nextRun(run: CampaignRun, action: CampaignAction, nowMs: number): CampaignRun {
  switch (action) {
    case 'send':
      if (run.status !== 'draft') throw new KiungaError('campaign_not_startable');
      return startCampaign(run, nowMs);
    case 'pause':
      if (run.status !== 'sending')
        throw new KiungaError('conflict', 'Only a campaign that is sending can pause.');
      return pauseCampaign(run, 'by_isp');
    case 'resume':
      if (run.status !== 'paused') throw new KiungaError('conflict', 'Only a paused campaign can resume.');
      return resumeCampaign(run, nowMs);
    case 'cancel':
      if (run.status === 'completed' || run.status === 'cancelled')
        throw new KiungaError('campaign_not_startable', 'This campaign has already ended.');
      return cancelCampaign(run);
  }
}

/**
 * The ISP's explicit choice to send again the messages whose outcome is unknown (they may have gone out:
 * a person accepts the risk of a second copy); the campaign sends again if it had completed.
 */
export async function resendUnknown(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  id: string,
  audit: Auditor,
): Promise<CampaignView> {
  const nowMs = dependencies.clock.now();
  const resent = await database.transaction(async (transaction) => {
    const run = await readCampaignRun(transaction, id);
    if (run === null) throw new KiungaError('not_found', 'No such campaign.');
    if (run.status === 'cancelled' || run.status === 'draft')
      throw new KiungaError('conflict', 'Only a campaign that was sent can resend messages.');
    const ids = await transaction.column<string>(
      `SELECT id FROM sms_campaign_messages WHERE campaign_id = ? AND status = 'unknown' ORDER BY id`,
      [id],
    );
    const count = await applyMessageEvents(
      transaction,
      id,
      ids.map((messageId) => ({ messageId, event: { type: 'resend' } as const })),
      nowMs,
    );
    if (count > 0 && run.status === 'completed')
      await writeCampaignRun(
        transaction,
        id,
        { ...run, status: 'sending', nextBatchAtMs: nowMs },
        'completed',
        nowMs,
      );
    return count;
  });
  await audit({ action: 'sms_campaign.resend_unknown', target: id, detail: { messages: resent } });
  return campaignView(database, id);
}

// From the gateway.

export type DeliveryReportOutcome = 'applied' | 'unchanged' | 'unknown_message' | 'unreadable';

/** Stores the report raw, then applies it to its campaign message (a repeat changes nothing). */
export async function receiveDeliveryReport(
  database: SqlDatabase,
  body: string,
  nowMs: number,
): Promise<DeliveryReportOutcome> {
  const parsed = parseDeliveryReport(body);
  if (!parsed.ok) {
    await storeDeliveryReport(
      database,
      { providerMessageId: null, status: null, failureReason: null, body },
      nowMs,
    );
    return 'unreadable';
  }
  const { report } = parsed;
  await storeDeliveryReport(
    database,
    {
      providerMessageId: report.id,
      status: report.status,
      failureReason: report.failureReason ?? null,
      body,
    },
    nowMs,
  );
  const campaignId = await campaignOfProviderMessage(database, report.id);
  // Not (yet) a known message: the report is kept and applied when the send answer is stored.
  if (campaignId === null) return 'unknown_message';
  const messageId = await database.get<{ id: string }>(
    'SELECT id FROM sms_campaign_messages WHERE provider_message_id = ?',
    [report.id],
  );
  const applied = await database.transaction((transaction) =>
    applyMessageEvents(
      transaction,
      campaignId,
      [
        {
          messageId: messageId!.id,
          event: { type: 'delivery_report', status: report.status, failureReason: report.failureReason },
        },
      ],
      nowMs,
    ),
  );
  return applied > 0 ? 'applied' : 'unchanged';
}

export type InboundOutcome = 'opted_out' | 'opted_in' | 'ignored' | 'unreadable';

/** An SMS to the ISP's shortcode or number: STOP opts the sender out, START back in; anything else is left. */
export async function receiveIncomingMessage(
  database: SqlDatabase,
  body: string,
  nowMs: number,
): Promise<InboundOutcome> {
  const fields = notificationFields(body);
  const parsed = fields === null ? null : incomingMessageSchema.safeParse(fields);
  if (!parsed?.success) return 'unreadable';
  const phone = normaliseKenyanPhone(parsed.data.from);
  if (phone === null) return 'ignored';
  const intent = parseInboundIntent(parsed.data.text);
  if (intent === 'opt_out') {
    await optOut(database, phone, 'keyword', nowMs);
    return 'opted_out';
  }
  if (intent === 'opt_in') {
    await removeOptOut(database, phone);
    return 'opted_in';
  }
  return 'ignored';
}

/** Africa's Talking's own opt-out notice for an alphanumeric sender id. */
export async function receiveBulkOptOut(
  database: SqlDatabase,
  body: string,
  nowMs: number,
): Promise<InboundOutcome> {
  const fields = notificationFields(body);
  const parsed = fields === null ? null : bulkOptOutSchema.safeParse(fields);
  if (!parsed?.success) return 'unreadable';
  const phone = normaliseKenyanPhone(parsed.data.phoneNumber);
  if (phone === null) return 'ignored';
  await optOut(database, phone, 'gateway', nowMs);
  return 'opted_out';
}

/** Records the opt-out and cancels what is still queued to that number in every campaign. */
export async function optOut(
  database: SqlDatabase,
  phone: string,
  source: 'keyword' | 'gateway' | 'isp',
  nowMs: number,
): Promise<void> {
  await database.transaction(async (transaction) => {
    await recordOptOut(transaction, phone, source, nowMs);
    await transaction.run(
      `UPDATE sms_campaign_messages SET status = 'cancelled', last_error = ?, updated_at = ?
        WHERE recipient = ? AND status = 'queued'`,
      ['The client opted out (STOP) before this message went out.', nowMs, `+${phone}`],
    );
  });
}
