// ISP console Messages page: the outbox of SMS to subscribers (reminders, suspension, reactivation)
// with each message's delivery state, and the SMS gateway settings that send them.

import { CsrfField, Empty, formatDateTime, Pager, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { NotificationOutput } from './outbox';
import type { SmsSettingsView } from './sms-settings';

const MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed'];
const KIND_LABELS: Record<string, string> = {
  payment_reminder: 'Payment reminder',
  suspension: 'Suspension',
  reactivation: 'Reactivation',
};

function SmsSettingsCard(props: { settings: SmsSettingsView; canWrite: boolean; csrfToken: string }) {
  const { settings } = props;
  const state = !settings.isConfigured
    ? 'SMS is not set up: messages wait here until you add your gateway account.'
    : settings.enabled
      ? `SMS is on: messages go out through the Africa's Talking account ${settings.username}.`
      : 'SMS is off: messages wait here until you turn it on.';
  return (
    <section class="card" id="sms-settings">
      <h2>SMS gateway</h2>
      <p data-sms-state={settings.enabled ? 'on' : 'off'}>{state}</p>
      <form method="post" action="/isp/messages/sms-settings">
        <CsrfField token={props.csrfToken} />
        <fieldset disabled={!props.canWrite}>
          <div class="row">
            <div>
              <label for="smsUsername">Africa's Talking username</label>
              <input
                id="smsUsername"
                name="username"
                required
                maxlength={100}
                value={settings.username ?? ''}
              />
            </div>
            <div>
              <label for="smsApiKey">API key</label>
              <input
                id="smsApiKey"
                name="secretApiKey"
                type="password"
                autocomplete="off"
                maxlength={200}
                required={!settings.isConfigured}
                placeholder={settings.isConfigured ? 'Leave empty to keep the saved key' : ''}
              />
            </div>
            <div>
              <label for="smsSenderId">Sender id (optional)</label>
              <input id="smsSenderId" name="senderId" maxlength={11} value={settings.senderId ?? ''} />
            </div>
          </div>
          <label>
            <input type="checkbox" name="enabled" value="true" checked={settings.enabled} /> Send messages by
            SMS
          </label>
          <button type="submit">Save SMS settings</button>
        </fieldset>
      </form>
    </section>
  );
}

function MessageTable(props: { messages: NotificationOutput[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Created</th>
            <th>Kind</th>
            <th>To</th>
            <th>Message</th>
            <th>Status</th>
            <th>Sent</th>
          </tr>
        </thead>
        <tbody>
          {props.messages.map((message) => (
            <tr data-message={String(message.id)}>
              <td>{formatDateTime(message.createdAt)}</td>
              <td>{KIND_LABELS[message.kind] ?? message.kind}</td>
              <td class="mono">{message.recipient ?? '—'}</td>
              <td>{message.body}</td>
              <td>
                <StatusBadge status={message.status} />
                {message.lastError ? <div class="muted">{message.lastError}</div> : null}
                {message.status === 'pending' && message.attempts > 0 ? (
                  <div class="muted">
                    Attempt {message.attempts + 1} at {formatDateTime(message.nextAttemptAt)}
                  </div>
                ) : null}
              </td>
              <td>{formatDateTime(message.sentAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MessagesPage(props: {
  shell: ConsoleShell;
  messages: NotificationOutput[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  smsSettings: SmsSettingsView;
  canWriteSettings: boolean;
}) {
  return (
    <Layout title="Messages" shell={props.shell}>
      <h1>Messages</h1>
      <SmsSettingsCard
        settings={props.smsSettings}
        canWrite={props.canWriteSettings}
        csrfToken={props.shell.csrfToken}
      />
      <div class="toolbar">
        <form method="get" action="/isp/messages">
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            {MESSAGE_STATUSES.map((status) => (
              <option value={status} selected={props.query.status === status}>
                {status}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
      </div>
      {props.messages.length === 0 ? (
        <Empty>
          {props.query.status
            ? 'No message has this status.'
            : 'No messages yet: payment reminders, suspension and reactivation notices appear here when billing sends them.'}
        </Empty>
      ) : (
        <MessageTable messages={props.messages} />
      )}
      <Pager path="/isp/messages" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
