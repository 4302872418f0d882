// Small building blocks shared by the console pages: forms, flash, pagination, empty states, formats.
import type { Child } from 'hono/jsx';

export interface FlashMessage {
  kind: 'ok' | 'error';
  text: string;
}

export function FlashBox(props: { flash: FlashMessage | null }) {
  if (!props.flash) return null;
  return (
    <div class={`flash ${props.flash.kind}`} role={props.flash.kind === 'error' ? 'alert' : 'status'}>
      {props.flash.text}
    </div>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A one-button form for an action on a row (revoke, suspend, disconnect); asks first when `confirm` is set. */
export function PostButton(props: {
  action: string;
  csrfToken: string;
  label: string;
  confirm?: string;
  variant?: 'danger' | 'secondary';
  fields?: Record<string, string>;
}) {
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.variant} data-confirm={props.confirm}>
        {props.label}
      </button>
    </form>
  );
}

export function Empty(props: { children: Child }) {
  return <div class="card empty">{props.children}</div>;
}

/** "Next page" keeps the filters; "First page" appears once the reader has moved on. */
export function Pager(props: {
  path: string;
  query: Record<string, string | undefined>;
  nextCursor: string | null;
}) {
  const filters = Object.entries(props.query).filter(
    (entry): entry is [string, string] =>
      entry[0] !== 'cursor' && typeof entry[1] === 'string' && entry[1] !== '',
  );
  const first = new URLSearchParams(filters).toString();
  const next = props.nextCursor
    ? new URLSearchParams([...filters, ['cursor', props.nextCursor]]).toString()
    : null;
  if (!props.query.cursor && !next) return null;
  return (
    <div class="pager">
      {props.query.cursor ? (
        <a href={first ? `${props.path}?${first}` : props.path}>← First page</a>
      ) : (
        <span />
      )}
      {next ? <a href={`${props.path}?${next}`}>Next page →</a> : <span />}
    </div>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={`badge ${props.status}`}>{props.status}</span>;
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  dateStyle: 'medium',
  timeStyle: 'short',
});

export function formatDateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : dateTimeFormat.format(new Date(ms));
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours >= 24) return `${Math.floor(hours / 24)}d ${hours % 24}h`;
  return hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds % 60}s`;
}

/** One checkbox per permission of the catalogue, named `permissions`; those the viewer lacks are disabled. */
export function PermissionCheckboxes(props: {
  catalogue: readonly string[];
  checked: ReadonlySet<string>;
  grantable: ReadonlySet<string>;
}) {
  return (
    <fieldset class="permissions">
      <legend>Permissions</legend>
      {props.catalogue.map((permission) => (
        <label class="check">
          <input
            type="checkbox"
            name="permissions"
            value={permission}
            checked={props.checked.has(permission)}
            disabled={!props.grantable.has(permission)}
          />{' '}
          <span class="mono">{permission}</span>
        </label>
      ))}
    </fieldset>
  );
}
