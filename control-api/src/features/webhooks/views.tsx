// ISP console: webhook endpoints (list, register with the secret shown once, switch off, remove) and an
// endpoint's delivery log with a redeliver button per delivery.
import { CsrfField, Empty, formatDateTime, PostButton, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { WEBHOOK_EVENT_TYPES } from './core/events';
import type { DeliveryLog, WebhookEndpointOutput } from './service';

export const WEBHOOKS_PAGE_PATH = '/isp/webhooks';

export function WebhooksPage(props: {
  shell: ConsoleShell;
  endpoints: WebhookEndpointOutput[];
  created: { id: string; secret: string } | null;
}) {
  const { shell } = props;
  return (
    <Layout title="Webhooks" shell={shell}>
      <h1>Webhooks</h1>
      <p class="muted">
        Kiunga POSTs each event as JSON to your URL, signed in the <span class="mono">Kiunga-Signature</span>{' '}
        header (<span class="mono">t=&lt;unix&gt;,v1=&lt;HMAC-SHA256 of "t.body"&gt;</span>), and retries for
        24 hours until your server answers 2xx.
      </p>
      {props.created ? (
        <div class="card" data-created-webhook={props.created.id}>
          <p>
            <b>Signing secret — shown only now.</b> Kiunga keeps it sealed and cannot show it again.
          </p>
          <p class="secret mono" data-webhook-secret>
            {props.created.secret}
          </p>
        </div>
      ) : null}
      {props.endpoints.length === 0 ? (
        <Empty>No webhook endpoints yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>URL</th>
                <th>Events</th>
                <th>Status</th>
                <th>Created</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {props.endpoints.map((endpoint) => (
                <tr data-webhook={endpoint.id}>
                  <td class="mono">
                    <a href={`${WEBHOOKS_PAGE_PATH}/${endpoint.id}`}>{endpoint.url}</a>
                    {endpoint.description ? <div class="muted">{endpoint.description}</div> : null}
                  </td>
                  <td class="mono" style="white-space:normal">
                    {endpoint.events.join(', ')}
                  </td>
                  <td>
                    <StatusBadge status={endpoint.isActive ? 'active' : 'disabled'} />
                  </td>
                  <td>{formatDateTime(endpoint.createdAt)}</td>
                  <td>
                    <PostButton
                      action={`${WEBHOOKS_PAGE_PATH}/${endpoint.id}/${endpoint.isActive ? 'disable' : 'enable'}`}
                      csrfToken={shell.csrfToken}
                      label={endpoint.isActive ? 'Switch off' : 'Switch on'}
                    />{' '}
                    <PostButton
                      action={`${WEBHOOKS_PAGE_PATH}/${endpoint.id}/delete`}
                      csrfToken={shell.csrfToken}
                      label="Remove"
                      variant="danger"
                      confirm={`Remove the webhook to ${endpoint.url}? Its queued deliveries are dropped.`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="card">
        <h2>New webhook</h2>
        <form method="post" action={WEBHOOKS_PAGE_PATH}>
          <CsrfField token={shell.csrfToken} />
          <label for="webhookUrl">URL (https)</label>
          <input
            id="webhookUrl"
            name="url"
            type="url"
            required
            placeholder="https://erp.example.com/kiunga"
          />
          <label for="webhookDescription">Description</label>
          <input id="webhookDescription" name="description" maxlength={200} />
          <fieldset>
            <legend>Events</legend>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label>
                <input type="checkbox" name="events" value={type} /> <span class="mono">{type}</span>
              </label>
            ))}
          </fieldset>
          <button type="submit">Register webhook</button>
        </form>
      </section>
    </Layout>
  );
}

export function DeliveryLogPage(props: {
  shell: ConsoleShell;
  endpoint: WebhookEndpointOutput;
  log: DeliveryLog;
}) {
  const { shell, endpoint, log } = props;
  return (
    <Layout title="Webhook deliveries" shell={shell}>
      <h1>Deliveries to {endpoint.url}</h1>
      <p>
        <a href={WEBHOOKS_PAGE_PATH}>All webhooks</a>
      </p>
      {log.waiting.length > 0 ? (
        <p data-waiting={log.waiting.length}>{log.waiting.length} event(s) queued, not sent yet.</p>
      ) : null}
      {log.attempts.length === 0 ? (
        <Empty>No delivery attempts yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Attempt</th>
                <th>Answer</th>
                <th>Time</th>
                <th>Delivery</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {log.attempts.map((attempt) => (
                <tr data-attempt={attempt.id}>
                  <td>{formatDateTime(attempt.attemptedAt)}</td>
                  <td class="mono">
                    {attempt.eventType}
                    <div class="muted">{attempt.eventId}</div>
                  </td>
                  <td>
                    {attempt.attempt}
                    {attempt.trigger === 'manual' ? ' (manual)' : ''}
                  </td>
                  <td>
                    {attempt.statusCode === null ? '—' : `HTTP ${attempt.statusCode}`}
                    {attempt.error ? <div class="muted">{attempt.error}</div> : null}
                  </td>
                  <td>{attempt.durationMs === null ? '—' : `${attempt.durationMs} ms`}</td>
                  <td>
                    <StatusBadge status={attempt.deliveryStatus} />
                    {attempt.nextAttemptAt === null ? null : (
                      <div class="muted">next try {formatDateTime(attempt.nextAttemptAt)}</div>
                    )}
                  </td>
                  <td>
                    <PostButton
                      action={`${WEBHOOKS_PAGE_PATH}/${endpoint.id}/deliveries/${attempt.deliveryId}/redeliver`}
                      csrfToken={shell.csrfToken}
                      label="Send again"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
