// What both consoles show of support chat: a conversation's thread (messages and their attachments),
// the reply form (plain multipart form: works without JavaScript), and the script that keeps a page's
// live regions up to date from the support WebSocket.
import type { Child } from 'hono/jsx';
import { CsrfField, Empty, formatBytes, formatDateTime, StatusBadge } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { type Column, DataTable } from '../../console/list-page';
import {
  ATTACHMENT_FIELD,
  type ConversationDetail,
  type ConversationView,
  MESSAGE_CHARS_MAX,
  type MessageView,
  type SupportSide,
} from './service';

const SIDE_LABELS: Record<SupportSide, Record<SupportSide, string>> = {
  isp: { isp: 'You', platform: 'Kiunga support' },
  platform: { isp: 'ISP', platform: 'Support' },
};

/** A message's text with its line breaks kept (no style attribute needed under the CSP). */
function Lines(props: { text: string }) {
  const lines = props.text.split('\n');
  return (
    <p>
      {lines.map((line, index) => (
        <>
          {index > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </p>
  );
}

function Message(props: { message: MessageView; reader: SupportSide }) {
  const { message } = props;
  const who = SIDE_LABELS[props.reader][message.side];
  return (
    <article class="card" data-message-id={String(message.id)} data-side={message.side}>
      <p class="muted">
        <b>{who}</b>
        {message.authorEmail ? ` · ${message.authorEmail}` : ''} · {formatDateTime(message.createdAt)}
      </p>
      {message.body ? <Lines text={message.body} /> : null}
      {message.attachments.map((attachment) => (
        <p data-attachment={attachment.fileName}>
          {attachment.mimeType.startsWith('image/') ? (
            <a href={attachment.url}>
              <img src={attachment.url} alt={attachment.fileName} width="240" loading="lazy" />
              <br />
            </a>
          ) : null}
          <a href={attachment.url}>{attachment.fileName}</a>{' '}
          <span class="muted">({formatBytes(attachment.byteSize)})</span>
        </p>
      ))}
    </article>
  );
}

/** The conversation's heading facts and messages: the region the live script refreshes. */
export function Thread(props: { conversation: ConversationDetail; reader: SupportSide }) {
  const { conversation } = props;
  return (
    <section data-support-region="thread">
      <p class="muted">
        <StatusBadge status={conversation.status} />
        {props.reader === 'platform' ? ` · ${conversation.tenantName ?? conversation.tenantId}` : ''} ·{' '}
        {conversation.assignedTo
          ? `Assigned to ${conversation.assignedTo.email ?? conversation.assignedTo.id}`
          : 'Not assigned yet'}
      </p>
      {conversation.messages.map((message) => (
        <Message message={message} reader={props.reader} />
      ))}
    </section>
  );
}

/** The reply form: text, an optional image or PDF, and whatever the side adds (canned replies). */
export function ReplyForm(props: { action: string; csrfToken: string; extra?: Child }) {
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" class="card" id="reply-form">
      <CsrfField token={props.csrfToken} />
      {props.extra}
      <label for="reply-body">Message</label>
      <textarea id="reply-body" name="body" rows={4} maxlength={MESSAGE_CHARS_MAX} />
      <label for="reply-file">Attach an image or PDF (up to 2 MB)</label>
      <input
        id="reply-file"
        type="file"
        name={ATTACHMENT_FIELD}
        accept="image/png,image/jpeg,image/gif,image/webp,application/pdf"
      />
      <button type="submit">Send</button>
    </form>
  );
}

/**
 * Keeps the page's `[data-support-region]` elements current: on each change the support WebSocket
 * (path in `data-support-live`) announces, the page is read again over HTTP and those regions are
 * swapped in (forms and what the reader is typing stay as they are). Without JavaScript the page is a
 * plain form-and-refresh page.
 */
const SUPPORT_LIVE_SCRIPT = `(function(){
if(!window.WebSocket||!window.fetch||!window.DOMParser)return;var root=document.querySelector('[data-support-live]');
if(!root)return;var path=root.getAttribute('data-support-live'),busy=false,again=false,delay=1000;
function refresh(){if(busy){again=true;return}busy=true;fetch(location.href,{credentials:'same-origin',headers:{accept:'text/html'}})
.then(function(r){return r.ok?r.text():null}).then(function(t){if(!t)return;var d=new DOMParser().parseFromString(t,'text/html');
document.querySelectorAll('[data-support-region]').forEach(function(e){var n=d.querySelector('[data-support-region="'+e.getAttribute('data-support-region')+'"]');
if(n)e.replaceWith(document.importNode(n,true))})}).catch(function(){}).then(function(){busy=false;if(again){again=false;refresh()}})}
function connect(){var s;try{s=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+path)}catch(x){return}
s.onopen=function(){delay=1000;root.setAttribute('data-support-connected','true')};
s.onmessage=function(v){var m;try{m=JSON.parse(v.data)}catch(x){return}if(m&&m.type==='support_changed')refresh()};
s.onclose=function(){root.removeAttribute('data-support-connected');setTimeout(connect,delay);delay=Math.min(delay*2,30000)}}
connect()})();`;

/** Marks the page as live (the WebSocket path) and runs the script; place once per page. */
export function SupportLive(props: { path: string }) {
  return (
    <>
      <span data-support-live={props.path} hidden />
      <InlineScript source={SUPPORT_LIVE_SCRIPT} />
    </>
  );
}

/**
 * A list of conversations (newest activity first) with its unread badges, in a live region named
 * `region`; `columns` follow the subject (the platform adds the ISP and the assignee), which comes first so a
 * phone shows it without scrolling.
 */
export function ConversationTable(props: {
  region: string;
  conversations: readonly ConversationView[];
  pathOf: (row: ConversationView) => string;
  columns: ReadonlyArray<Column<ConversationView>>;
  empty: string;
}) {
  return (
    <div data-support-region={props.region}>
      {props.conversations.length === 0 ? (
        <Empty>{props.empty}</Empty>
      ) : (
        <DataTable
          rows={props.conversations}
          rowAttributes={(row) => ({ 'data-conversation-id': row.id })}
          columns={[
            { header: 'Subject', cell: (row) => <a href={props.pathOf(row)}>{row.subject}</a> },
            ...props.columns,
            { header: 'Status', cell: (row) => <StatusBadge status={row.status} /> },
            {
              header: 'Unread',
              cell: (row) =>
                row.unreadCount > 0 ? (
                  <span class="badge trial" data-unread={String(row.unreadCount)}>
                    {row.unreadCount} new
                  </span>
                ) : (
                  ''
                ),
            },
            { header: 'Last message', cell: (row) => formatDateTime(row.lastMessageAt) },
          ]}
        />
      )}
    </div>
  );
}
