// The ISP console's SMS pages: compose with a live preview (count and cost), the campaigns with their
// progress, and one campaign's messages with their delivery status.
import { CsrfField, Empty, formatDateTime, PostButton, StatusBadge } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { CampaignPreview } from './core/index';
import type { CampaignView } from './service';

export interface ComposeDraft {
  name: string;
  template: string;
  planId: string;
  tag: string;
  expiresWithinDays: string;
  owesMoreThanShillings: string;
}

const ksh = (cents: number) => `Ksh ${(cents / 100).toLocaleString('en-KE', { minimumFractionDigits: 2 })}`;

/** Asks the console for the preview as the ISP types (debounced) and shows the count and the cost. */
const LIVE_PREVIEW_SCRIPT = `(function(){var f=document.getElementById('sms-compose');if(!f)return;
var out=document.getElementById('sms-preview');var t=null;
function show(p){if(p.error){out.textContent=p.error;return}
out.textContent=p.messageCount+' messages to send ('+p.recipientCount+' clients, '+(p.recipientCount-p.messageCount)+' skipped), '+p.partCount+' SMS parts, about Ksh '+(p.costCents/100).toFixed(2)+(p.sample?' — e.g. “'+p.sample+'”':'')}
function ask(){var q=new URLSearchParams(new FormData(f));q.delete('_csrf');
fetch('/isp/sms/preview.json?'+q.toString(),{credentials:'same-origin'}).then(function(r){return r.json()}).then(show).catch(function(){})}
f.addEventListener('input',function(){clearTimeout(t);t=setTimeout(ask,400)});})();`;

export function SmsPage(props: {
  shell: ConsoleShell;
  draft: ComposeDraft;
  plans: { id: string; name: string }[];
  preview: CampaignPreview | null;
  previewError: string | null;
  campaigns: CampaignView[];
  canSend: boolean;
}) {
  const { draft } = props;
  return (
    <Layout title="SMS to clients" shell={props.shell}>
      <h1>SMS to clients</h1>
      {props.canSend ? (
        <form method="post" action="/isp/sms/campaigns" id="sms-compose" class="card">
          <CsrfField token={props.shell.csrfToken} />
          <label>
            Name <input name="name" value={draft.name} required maxlength={80} />
          </label>
          <label>
            Message{' '}
            <textarea name="template" rows={4} required maxlength={918}>
              {draft.template}
            </textarea>
          </label>
          <p class="hint">
            Variables: {'{{name}}'}, {'{{plan}}'}, {'{{expiry}}'}, {'{{balance}}'}, {'{{accountNumber}}'},{' '}
            {'{{paybill}}'}; a fallback as {'{{name|customer}}'}.
          </p>
          <fieldset>
            <legend>To (empty: everyone)</legend>
            <label>
              Plan{' '}
              <select name="planId">
                <option value="">Any plan</option>
                {props.plans.map((plan) => (
                  <option value={plan.id} selected={plan.id === draft.planId}>
                    {plan.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Tag <input name="tag" value={draft.tag} maxlength={40} />
            </label>
            <label>
              Expires within (days){' '}
              <input name="expiresWithinDays" value={draft.expiresWithinDays} inputmode="numeric" />
            </label>
            <label>
              Owes more than (Ksh){' '}
              <input name="owesMoreThanShillings" value={draft.owesMoreThanShillings} inputmode="numeric" />
            </label>
          </fieldset>
          <p id="sms-preview" data-sms-preview aria-live="polite">
            {props.previewError ??
              (props.preview === null
                ? 'Type a message to see how many clients it reaches and what it costs.'
                : `${props.preview.messageCount} messages to send (${props.preview.recipientCount} clients, ${
                    props.preview.recipientCount - props.preview.messageCount
                  } skipped), ${props.preview.partCount} SMS parts, about ${ksh(props.preview.costCents)}`)}
          </p>
          <button type="submit" formmethod="get" formaction="/isp/sms" class="secondary">
            Preview
          </button>{' '}
          <button type="submit">Send</button>
        </form>
      ) : null}
      <InlineScript source={LIVE_PREVIEW_SCRIPT} />
      <h2>Campaigns</h2>
      {props.campaigns.length === 0 ? (
        <Empty>No campaign yet.</Empty>
      ) : (
        <table data-sms-campaigns>
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Status</th>
              <th>Progress</th>
              <th>Cost</th>
              <th>Made</th>
            </tr>
          </thead>
          <tbody>
            {props.campaigns.map((campaign) => (
              <tr>
                <td>
                  <a href={`/isp/sms/campaigns/${campaign.id}`}>{campaign.name}</a>
                </td>
                <td>
                  <StatusBadge status={campaign.status} />
                </td>
                <td>
                  <progress max={100} value={campaign.progress.percent} /> {campaign.progress.finished}/
                  {campaign.progress.total}
                </td>
                <td>{ksh(campaign.costCents)}</td>
                <td>{formatDateTime(campaign.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export interface MessageRowView {
  id: string;
  to: string;
  text: string;
  status: string;
  lastError: string | null;
}

export function CampaignPage(props: {
  shell: ConsoleShell;
  campaign: CampaignView;
  messages: MessageRowView[];
  nextCursor: string | null;
  canSend: boolean;
}) {
  const { campaign } = props;
  const action = (path: string) => `/isp/sms/campaigns/${campaign.id}/${path}`;
  return (
    <Layout title={campaign.name} shell={props.shell}>
      <h1>{campaign.name}</h1>
      <div class="card" data-campaign-progress>
        <p>
          <StatusBadge status={campaign.status} />
          {campaign.pauseReason === null ? null : ` (${campaign.pauseReason.replaceAll('_', ' ')})`}{' '}
          <progress max={100} value={campaign.progress.percent} /> {campaign.progress.finished} of{' '}
          {campaign.progress.total} done; {campaign.skippedCount} clients skipped; {ksh(campaign.costCents)}
        </p>
        <p>
          {Object.entries(campaign.progress.byStatus)
            .filter(([, count]) => count > 0)
            .map(([status, count]) => `${status} ${count}`)
            .join(' · ')}
        </p>
        {props.canSend ? (
          <div class="toolbar">
            {campaign.status === 'sending' ? (
              <PostButton action={action('pause')} csrfToken={props.shell.csrfToken} label="Pause" />
            ) : null}
            {campaign.status === 'paused' ? (
              <PostButton action={action('resume')} csrfToken={props.shell.csrfToken} label="Resume" />
            ) : null}
            {campaign.status === 'draft' ? (
              <PostButton action={action('send')} csrfToken={props.shell.csrfToken} label="Send" />
            ) : null}
            {campaign.status !== 'completed' && campaign.status !== 'cancelled' ? (
              <PostButton
                action={action('cancel')}
                csrfToken={props.shell.csrfToken}
                label="Cancel"
                variant="danger"
                confirm="Cancel this campaign? Messages not yet sent will not go out."
              />
            ) : null}
            {campaign.progress.byStatus.unknown > 0 ? (
              <PostButton
                action={action('resend-unknown')}
                csrfToken={props.shell.csrfToken}
                label="Resend unknown"
                variant="secondary"
                confirm="These messages may already have arrived; resending can send a second copy."
              />
            ) : null}
          </div>
        ) : null}
      </div>
      <h2>Messages</h2>
      <table data-campaign-messages>
        <thead>
          <tr>
            <th>To</th>
            <th>Status</th>
            <th>Message</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {props.messages.map((message) => (
            <tr>
              <td>{message.to}</td>
              <td>
                <StatusBadge status={message.status} />
              </td>
              <td>{message.text}</td>
              <td>{message.lastError ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.nextCursor === null ? null : (
        <a href={`/isp/sms/campaigns/${campaign.id}?cursor=${encodeURIComponent(props.nextCursor)}`}>
          Next page
        </a>
      )}
    </Layout>
  );
}
