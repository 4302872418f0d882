// Subscriber pieces shared by the ISP console and the technician panel: the create form,
// the "created" page with the one-time password, and the search table.
import type { PlanOutput, SubscriberOutput } from '@kiunga/schemas';
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, StatusBadge } from './components';

export function SubscriberCreateForm(props: {
  action: string;
  csrfToken: string;
  plans: PlanOutput[];
  /** Values typed before a validation error (passwords are never kept). */
  draft?: Record<string, string> | null;
}) {
  const draft = props.draft ?? null;
  if (props.plans.length === 0)
    return <Empty>There is no PPPoE or static plan on sale yet; ask the ISP owner to create one.</Empty>;
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      <div class="row">
        <div>
          <label for="planId">Package</label>
          <select id="planId" name="planId" required>
            {props.plans.map((plan) => (
              <option value={plan.id} selected={draft?.planId === plan.id}>
                {plan.name} ({plan.kind === 'static' ? 'static IP' : 'PPPoE'}) · {formatKsh(plan.priceCents)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="username">Username</label>
          <input
            id="username"
            name="username"
            required
            minlength={3}
            maxlength={64}
            autocapitalize="off"
            value={draft?.username ?? ''}
          />
        </div>
        <div>
          <label for="fullName">Full name</label>
          <input id="fullName" name="fullName" maxlength={120} value={draft?.fullName ?? ''} />
        </div>
        <div>
          <label for="phone">Phone</label>
          <input id="phone" name="phone" type="tel" placeholder="2547XXXXXXXX" value={draft?.phone ?? ''} />
        </div>
        <div>
          <label for="email">Email (optional: invoices go there)</label>
          <input id="email" name="email" type="email" maxlength={254} value={draft?.email ?? ''} />
        </div>
        <div>
          <label for="password">Password (leave empty to generate one)</label>
          <input id="password" name="password" type="text" minlength={8} autocomplete="new-password" />
        </div>
        <div>
          <label for="staticIp">Static IP (static plans only)</label>
          <input
            id="staticIp"
            name="staticIp"
            inputmode="decimal"
            placeholder="10.10.0.20"
            value={draft?.staticIp ?? ''}
          />
        </div>
        <div>
          <label for="macAddress">MAC address (optional)</label>
          <input
            id="macAddress"
            name="macAddress"
            placeholder="02:00:00:00:00:01"
            value={draft?.macAddress ?? ''}
          />
        </div>
        <div>
          <label for="cpeSerialNumber">Router serial number (TR-069, optional)</label>
          <input id="cpeSerialNumber" name="cpeSerialNumber" value={draft?.cpeSerialNumber ?? ''} />
        </div>
      </div>
      <button type="submit">Create subscriber</button>
    </form>
  );
}

/** A subscriber just created, with its plan's name and the password generated for it (if any). */
export interface CreatedSubscriber {
  subscriber: SubscriberOutput;
  planName: string;
  generatedPassword: string | null;
}

/** The "New subscriber" heading and its form, on the ISP console and the technician panel. */
export function NewSubscriberSection(props: {
  action: string;
  csrfToken: string;
  plans: PlanOutput[];
  draft: Record<string, string> | null | undefined;
}) {
  return (
    <>
      <h1>New subscriber</h1>
      <section class="card">
        <SubscriberCreateForm
          action={props.action}
          csrfToken={props.csrfToken}
          plans={props.plans}
          draft={props.draft ?? null}
        />
      </section>
    </>
  );
}

/** Shown once, right after creation: the generated password is not stored in clear anywhere. */
export function SubscriberCreated(props: CreatedSubscriber) {
  return (
    <div class="card" data-created-subscriber={props.subscriber.username}>
      <h2>Subscriber created</h2>
      <p>
        <b>{props.subscriber.username}</b> on {props.planName}, account number{' '}
        <b class="mono">{props.subscriber.accountNumber}</b> (M-Pesa account reference).
      </p>
      {props.generatedPassword ? (
        <>
          <p>Password, shown only now — give it to the client or set it on their router:</p>
          <p class="secret mono" data-generated-password>
            {props.generatedPassword}
          </p>
        </>
      ) : null}
      <p class="muted">Service runs until {formatDateTime(props.subscriber.expiresAt)}.</p>
    </div>
  );
}

export function SubscriberTable(props: {
  subscribers: SubscriberOutput[];
  planNames: Map<string, string>;
  linkBase: string | null;
  emptyText: string;
}) {
  if (props.subscribers.length === 0) return <Empty>{props.emptyText}</Empty>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Account</th>
            <th>Plan</th>
            <th>Status</th>
            <th>Expires</th>
          </tr>
        </thead>
        <tbody>
          {props.subscribers.map((subscriber) => (
            <tr data-username={subscriber.username}>
              <td>
                {props.linkBase ? (
                  <a href={`${props.linkBase}/${subscriber.id}`}>{subscriber.username}</a>
                ) : (
                  subscriber.username
                )}
              </td>
              <td>{subscriber.fullName || '—'}</td>
              <td class="mono">{subscriber.accountNumber}</td>
              <td>{props.planNames.get(subscriber.planId) ?? '—'}</td>
              <td>
                <StatusBadge status={subscriber.status} />
              </td>
              <td>{formatDateTime(subscriber.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SubscriberSearch(props: { action: string; q: string; status?: string | undefined }) {
  return (
    <div class="toolbar">
      <form method="get" action={props.action}>
        <input
          name="q"
          value={props.q}
          placeholder="Username, name, phone or account"
          aria-label="Search subscribers"
        />
        {props.status !== undefined ? (
          <select name="status" aria-label="Status">
            <option value="">Any status</option>
            {['active', 'expired', 'suspended'].map((status) => (
              <option value={status} selected={props.status === status}>
                {status}
              </option>
            ))}
          </select>
        ) : null}
        <button type="submit">Search</button>
      </form>
    </div>
  );
}
