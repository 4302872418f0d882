// Chat pages: the client's thread (both portals, in the page's language) and the ISP inbox and
// conversation pages. Plain forms that work without JavaScript; with it, a socket adds new messages.
import type { Child } from 'hono/jsx';
import { CsrfField, Empty, formatDateTime, PostButton } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { type ConsoleShell, Layout } from '../../console/layout';
import { type Language, t } from '../../i18n';
import { ATTACHMENT_MIME_TYPES } from '../../kernel/attachments';
import { nairobiDateTime } from '../shared/nairobi-time';
import { MESSAGE_BODY_CHARS_MAX } from './service';
import type { ConversationRow, MessageRow } from './store';

const ACCEPTED_FILES = ATTACHMENT_MIME_TYPES.join(',');

const THREAD_STYLES = `ol.chat{list-style:none;padding:0;margin:0 0 10px;max-height:60vh;overflow-y:auto}
ol.chat li{margin:6px 0;padding:8px 10px;border-radius:10px;max-width:90%;background:#f3f4f6}
ol.chat li.client{margin-left:auto;background:#dbeafe}ol.chat li.staff{margin-right:auto}
ol.chat li p{margin:4px 0 0;white-space:pre-wrap;overflow-wrap:anywhere}ol.chat time{font-size:.8rem;color:#6b7280}
textarea{width:100%;min-height:80px;padding:10px;font:inherit;border:1px solid #9ca3af;border-radius:8px}`;

/**
 * The thread's socket: appends each message it is sent (never twice: ids only grow), reconnects with
 * a growing pause, and on reconnecting asks for what it missed (`?after=`). `data-conversation` keeps a
 * staff conversation page to its own conversation; on that page `data-read` is where a client message
 * it showed is reported seen (with the session's CSRF token), once the tab is visible. Text is set
 * with textContent only.
 */
const THREAD_SCRIPT = `(function(){var l=document.getElementById('chat-messages');if(!l||!window.WebSocket)return;
var after=Number(l.getAttribute('data-after'))||0,delay=1000,only=l.getAttribute('data-conversation');
var rd=l.getAttribute('data-read'),owed=false;
function read(){if(!rd)return;if(document.visibilityState==='hidden'){owed=true;return}owed=false;
fetch(rd,{method:'POST',credentials:'same-origin',headers:{'content-type':'application/json','x-csrf-token':l.getAttribute('data-csrf')||''},
body:JSON.stringify({upTo:after})}).then(function(r){if(r.ok)l.setAttribute('data-read-up-to',String(after));else owed=true},function(){owed=true})}
document.addEventListener('visibilitychange',function(){if(owed)read()});
function add(m){if(m.id<=after)return;after=m.id;var e=document.getElementById('chat-empty');if(e)e.remove();
var li=document.createElement('li');li.className=m.author;li.setAttribute('data-id',String(m.id));
var b=document.createElement('b');b.textContent=l.getAttribute(m.author==='client'?'data-client':'data-staff');li.appendChild(b);
var t=document.createElement('time');t.textContent=' '+new Date(m.createdAt).toLocaleString();li.appendChild(t);
if(m.body){var p=document.createElement('p');p.textContent=m.body;li.appendChild(p)}
if(m.attachment){var a=document.createElement('a');a.href=m.attachment.url;a.textContent=m.attachment.fileName;li.appendChild(a)}
l.appendChild(li);l.scrollTop=l.scrollHeight;if(m.author==='client')read()}
function connect(){var s=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+l.getAttribute('data-live')+'?after='+after);
s.onmessage=function(e){var d=JSON.parse(e.data);if(d.type==='ready'){delay=1000;l.setAttribute('data-connected','1')}
if(d.type==='message'&&(!only||(d.conversation&&d.conversation.id===only)))add(d.message)};
s.onclose=function(){l.removeAttribute('data-connected');setTimeout(connect,delay);delay=Math.min(delay*2,30000)}}
l.scrollTop=l.scrollHeight;connect()})();`;

/**
 * The inbox's socket: each new message moves its conversation's row to the top with the new unread
 * count, adding the row for a conversation the page has not seen yet (linked under `data-href`).
 */
const INBOX_SCRIPT = `(function(){var b=document.getElementById('chat-inbox');if(!b||!window.WebSocket)return;var delay=1000;
function cell(r,i,text){var c=r.cells[i];c.textContent=text;return c}
function upsert(c,m){var r=b.querySelector('tr[data-id="'+CSS.escape(c.id)+'"]');if(!r){r=document.createElement('tr');r.setAttribute('data-id',c.id);
for(var i=0;i<5;i++)r.appendChild(document.createElement('td'));var a=document.createElement('a');a.href=b.getAttribute('data-href')+'/'+encodeURIComponent(c.id);
a.textContent=c.client.label;r.cells[0].appendChild(a)}cell(r,1,String(c.unread));cell(r,2,c.status);cell(r,3,c.assignedTo||'—');
cell(r,4,(m.author==='client'?'':'↩ ')+(m.body||(m.attachment?m.attachment.fileName:'')));r.className=c.unread>0?'unread':'';
b.insertBefore(r,b.firstChild);var e=document.getElementById('chat-empty');if(e)e.remove()}
function connect(){var s=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+b.getAttribute('data-live'));
s.onmessage=function(e){var d=JSON.parse(e.data);if(d.type==='ready'){delay=1000;b.setAttribute('data-connected','1')}
if(d.type==='message'&&d.conversation)upsert(d.conversation,d.message)};
s.onclose=function(){b.removeAttribute('data-connected');setTimeout(connect,delay);delay=Math.min(delay*2,30000)}}connect()})();`;

/** Unread rows bold; on a phone (the technician's screen) the status and assignee columns give way. */
const INBOX_STYLES = `tr.unread td{font-weight:600}
@media (max-width:640px){table.chat-inbox th:nth-child(3),table.chat-inbox td:nth-child(3),
table.chat-inbox th:nth-child(4),table.chat-inbox td:nth-child(4){display:none}}`;

function MessageItem(props: {
  message: MessageRow;
  clientLabel: string;
  staffLabel: string;
  attachmentBase: string;
}) {
  const { message } = props;
  return (
    <li class={message.authorKind} data-id={String(message.id)}>
      <b>{message.authorKind === 'client' ? props.clientLabel : props.staffLabel}</b>{' '}
      <time>{nairobiDateTime(message.createdAt)}</time>
      {message.body ? <p>{message.body}</p> : null}
      {message.attachment ? (
        <a href={`${props.attachmentBase}/${message.attachment.id}`}>{message.attachment.fileName}</a>
      ) : null}
    </li>
  );
}

/** A client's thread with the reply form, in the page's language; `base` is the portal's chat path. */
export function ClientChatSection(props: {
  base: string;
  language: Language;
  csrfToken: string;
  conversation: ConversationRow | null;
  messages: MessageRow[];
  error?: string | null;
}) {
  const { language, messages } = props;
  const lastId = messages[messages.length - 1]?.id ?? 0;
  return (
    <section>
      <style>{THREAD_STYLES}</style>
      <h2>{t(language, 'chat.heading')}</h2>
      {props.conversation?.status === 'closed' ? <p class="note">{t(language, 'chat.closed')}</p> : null}
      {props.error ? <p class="error">{props.error}</p> : null}
      <ol
        id="chat-messages"
        class="chat"
        data-live={`${props.base}/live`}
        data-after={String(lastId)}
        data-client={t(language, 'chat.you')}
        data-staff={t(language, 'chat.staff')}
      >
        {messages.map((message) => (
          <MessageItem
            message={message}
            clientLabel={t(language, 'chat.you')}
            staffLabel={t(language, 'chat.staff')}
            attachmentBase={`${props.base}/attachments`}
          />
        ))}
      </ol>
      {messages.length === 0 ? (
        <p class="muted" id="chat-empty">
          {t(language, 'chat.none')}
        </p>
      ) : null}
      <form method="post" action={`${props.base}/messages`} enctype="multipart/form-data">
        <CsrfField token={props.csrfToken} />
        <label>
          {t(language, 'chat.messageLabel')}
          <textarea name="body" maxlength={MESSAGE_BODY_CHARS_MAX} />
        </label>
        <label>
          {t(language, 'chat.attachLabel')}
          <input type="file" name="file" accept={ACCEPTED_FILES} />
        </label>
        <button type="submit">{t(language, 'chat.send')}</button>
      </form>
      <p class="note">
        {t(language, 'chat.live')} <a href={props.base}>{t(language, 'chat.refresh')}</a>
      </p>
      <InlineScript source={THREAD_SCRIPT} />
    </section>
  );
}

/** The captive portal's proof step: a voucher code, or (Tier 2) a phone and its SMS code. */
export function ChatProofSection(props: {
  base: string;
  language: Language;
  canUsePhone: boolean;
  /** The phone a code was just sent to: the code field is shown. */
  codeSentTo?: string | null;
  error?: string | null;
}) {
  const { language } = props;
  return (
    <section>
      <h2>{t(language, 'chat.title')}</h2>
      <p>{t(language, 'chat.verify.intro')}</p>
      {props.error ? <p class="error">{props.error}</p> : null}
      <h3>{t(language, 'chat.verify.voucherHeading')}</h3>
      <form method="post" action={`${props.base}/voucher`}>
        <label>
          {t(language, 'portal.voucher.placeholder')}
          <input name="code" autocomplete="off" autocapitalize="characters" maxlength={32} required />
        </label>
        <button type="submit">{t(language, 'chat.verify.voucherButton')}</button>
      </form>
      {props.canUsePhone ? (
        <>
          <h3>{t(language, 'chat.verify.phoneHeading')}</h3>
          {props.codeSentTo ? (
            <form method="post" action={`${props.base}/phone/confirm`}>
              <p class="ok">{t(language, 'chat.verify.codeSent', { phone: props.codeSentTo })}</p>
              <input type="hidden" name="phone" value={props.codeSentTo} />
              <label>
                {t(language, 'chat.verify.codeLabel')}
                <input name="code" inputmode="numeric" autocomplete="one-time-code" maxlength={6} required />
              </label>
              <button type="submit">{t(language, 'chat.verify.confirm')}</button>
            </form>
          ) : null}
          <form method="post" action={`${props.base}/phone`}>
            <label>
              {t(language, 'chat.verify.phoneLabel')}
              <input name="phone" type="tel" inputmode="tel" maxlength={20} required />
            </label>
            <button type="submit">{t(language, 'chat.verify.sendCode')}</button>
          </form>
        </>
      ) : null}
    </section>
  );
}

// The ISP console.

export function InboxPage(props: {
  shell: ConsoleShell;
  /** The console's chat pages: '/isp/chat' or '/tech/chat'. */
  chatPath: string;
  status: 'open' | 'closed' | 'all';
  conversations: ConversationRow[];
  nextHref: string | null;
}) {
  const tabs: Array<['open' | 'closed' | 'all', string]> = [
    ['open', 'Open'],
    ['closed', 'Closed'],
    ['all', 'All'],
  ];
  return (
    <Layout title="Client chat" shell={props.shell}>
      <h1>Client chat</h1>
      <div class="toolbar">
        {tabs.map(([status, label]) => (
          <a
            href={`${props.chatPath}?status=${status}`}
            aria-current={props.status === status ? 'page' : undefined}
          >
            {label}
          </a>
        ))}{' '}
        <a href={`${props.chatPath}?status=${props.status}`}>Refresh</a>
      </div>
      <style>{INBOX_STYLES}</style>
      <div class="table-wrap">
        <table class="chat-inbox">
          <thead>
            <tr>
              <th>Client</th>
              <th>Unread</th>
              <th>Status</th>
              <th>Assigned to</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody id="chat-inbox" data-live="/api/v1/chat/live" data-href={props.chatPath}>
            {props.conversations.map((conversation) => (
              <tr data-id={conversation.id} class={conversation.unreadByStaff > 0 ? 'unread' : undefined}>
                <td>
                  <a href={`${props.chatPath}/${conversation.id}`}>{conversation.clientLabel}</a>
                </td>
                <td>{String(conversation.unreadByStaff)}</td>
                <td>{conversation.status}</td>
                <td>{conversation.assignedTo ?? '—'}</td>
                <td>{formatDateTime(conversation.lastMessageAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.conversations.length === 0 ? (
        <div id="chat-empty">
          <Empty>No conversations yet. Clients write from the customer portal and the captive portal.</Empty>
        </div>
      ) : null}
      {props.nextHref ? <a href={props.nextHref}>Older conversations</a> : null}
      <InlineScript source={INBOX_SCRIPT} />
    </Layout>
  );
}

export function ConversationPage(props: {
  shell: ConsoleShell;
  /** The console's chat pages: '/isp/chat' or '/tech/chat'. */
  chatPath: string;
  conversation: ConversationRow;
  messages: MessageRow[];
  canReply: boolean;
  /** The staff accounts it may be assigned to, by id. */
  staff: Array<{ id: string; label: string }>;
  staffNames: ReadonlyMap<string, string>;
}): Child {
  const { conversation, messages, shell } = props;
  const path = `${props.chatPath}/${conversation.id}`;
  const apiPath = `/api/v1/chat/conversations/${conversation.id}`;
  const lastId = messages[messages.length - 1]?.id ?? 0;
  const assignee = conversation.assignedTo
    ? (props.staffNames.get(conversation.assignedTo) ?? conversation.assignedTo)
    : 'nobody';
  return (
    <Layout title={`Chat: ${conversation.clientLabel}`} shell={shell}>
      <style>{THREAD_STYLES}</style>
      <p>
        <a href={props.chatPath}>← Inbox</a>
      </p>
      <h1>{conversation.clientLabel}</h1>
      <p>
        {conversation.clientKind} · {conversation.status} · assigned to {assignee} ·{' '}
        {conversation.phone ? `phone ${conversation.phone}` : 'no phone'} · writes in {conversation.language}
      </p>
      <div class="card">
        <ol
          id="chat-messages"
          class="chat"
          data-live="/api/v1/chat/live"
          data-conversation={conversation.id}
          data-read={`${apiPath}/read`}
          data-csrf={shell.csrfToken}
          data-after={String(lastId)}
          data-client={conversation.clientLabel}
          data-staff="Staff"
        >
          {messages.map((message) => (
            <MessageItem
              message={message}
              clientLabel={conversation.clientLabel}
              staffLabel={message.authorId ? (props.staffNames.get(message.authorId) ?? 'Staff') : 'Staff'}
              attachmentBase={`${apiPath}/attachments`}
            />
          ))}
        </ol>
        {messages.length === 0 ? <p id="chat-empty">No messages.</p> : null}
      </div>
      {props.canReply ? (
        <>
          <form method="post" action={`${path}/messages`} enctype="multipart/form-data" class="card">
            <CsrfField token={shell.csrfToken} />
            <label>
              Reply
              <textarea name="body" maxlength={MESSAGE_BODY_CHARS_MAX} />
            </label>
            <label>
              Attach an image or PDF (up to 2 MB)
              <input type="file" name="file" accept={ACCEPTED_FILES} />
            </label>
            <button type="submit">Send reply</button>
          </form>
          <div class="toolbar">
            {conversation.status === 'open' ? (
              <PostButton
                action={`${path}/close`}
                csrfToken={shell.csrfToken}
                label="Close"
                variant="secondary"
              />
            ) : (
              <PostButton
                action={`${path}/reopen`}
                csrfToken={shell.csrfToken}
                label="Reopen"
                variant="secondary"
              />
            )}
            <form method="post" action={`${path}/assign`}>
              <CsrfField token={shell.csrfToken} />
              <select name="assignedTo" aria-label="Assign to">
                <option value="">Nobody</option>
                {props.staff.map((member) => (
                  <option value={member.id} selected={member.id === conversation.assignedTo}>
                    {member.label}
                  </option>
                ))}
              </select>
              <button type="submit">Assign</button>
            </form>
          </div>
        </>
      ) : null}
      <InlineScript source={THREAD_SCRIPT} />
    </Layout>
  );
}
