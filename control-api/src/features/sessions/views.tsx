// ISP console: live sessions from the AAA server, with a disconnect button per session.
import type { SessionOutput } from '@kiunga/schemas';
import {
  Empty,
  formatBytes,
  formatDateTime,
  formatDuration,
  Pager,
  PostButton,
} from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import { type ConsoleShell, Layout } from '../../console/layout';

export function SessionsPage(props: {
  shell: ConsoleShell;
  sessions: SessionOutput[];
  nasNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canDisconnect: boolean;
  /** The first page follows the live feed (WebSocket); later pages stay as they were served. */
  isLive: boolean;
}) {
  const isEmpty = props.sessions.length === 0;
  return (
    <Layout title="Live sessions" shell={props.shell}>
      <h1>Live sessions</h1>
      <p>
        <a href="/isp/sessions">Refresh</a> · <a href="/isp/sessions/history">Session history</a>{' '}
        <span class="muted" data-live-indicator hidden>
          · ● live
        </span>
      </p>
      <div data-live-empty hidden={!isEmpty}>
        <Empty>Nobody is online right now.</Empty>
      </div>
      <div
        class="table-wrap"
        hidden={isEmpty}
        data-live-table={props.isLive ? '' : undefined}
        data-nas-names={JSON.stringify(Object.fromEntries(props.nasNames))}
      >
        <table>
          <thead>
            <tr>
              <th>User</th>
              <th>Kind</th>
              <th>Router</th>
              <th>IP</th>
              <th>Device</th>
              <th>Uptime</th>
              <th>Down / up</th>
              {props.canDisconnect ? <th /> : null}
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((session) => (
              <tr data-session-user={session.username}>
                <td class="mono">{session.username}</td>
                <td>{session.subjectKind}</td>
                <td>{props.nasNames.get(session.nasId) ?? session.nasId}</td>
                <td class="mono">{session.framedIp ?? '—'}</td>
                <td class="mono">{session.callingStationId || '—'}</td>
                <td>{formatDuration(session.uptimeSeconds)}</td>
                <td>
                  {formatBytes(session.outputOctets)} / {formatBytes(session.inputOctets)}
                </td>
                {props.canDisconnect ? (
                  <td>
                    <DisconnectButton session={session} csrfToken={props.shell.csrfToken} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.isLive && props.canDisconnect ? (
        <template data-live-disconnect>
          <DisconnectButton session={null} csrfToken={props.shell.csrfToken} />
        </template>
      ) : null}
      {props.isLive ? <InlineScript source={LIVE_SESSIONS_SCRIPT} /> : null}
      <Pager path="/isp/sessions" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}

/** A session's disconnect form; with no session, the blank the live script fills in per row. */
function DisconnectButton(props: { session: SessionOutput | null; csrfToken: string }) {
  const { session } = props;
  return (
    <PostButton
      action={session ? `/isp/sessions/${encodeURIComponent(session.id)}/disconnect` : '/isp/sessions'}
      csrfToken={props.csrfToken}
      label="Disconnect"
      variant="danger"
      confirm={session ? `Disconnect ${session.username}?` : 'Disconnect?'}
    />
  );
}

/**
 * Re-renders the rows from each message of the live feed (a static string: data enters the DOM
 * only as textContent). Rows get their disconnect form from the server-rendered blank, so the
 * CSRF token and the confirmation work as before. Uptime counts on between messages. Without
 * JavaScript or a socket, the served table simply stays.
 */
const LIVE_SESSIONS_SCRIPT = `(function(){
var t=document.querySelector('[data-live-table]');if(!t||!window.WebSocket)return;
var b=t.querySelector('tbody'),n=JSON.parse(t.getAttribute('data-nas-names')||'{}'),
p=document.querySelector('template[data-live-disconnect]'),e=document.querySelector('[data-live-empty]'),
d=document.querySelector('[data-live-indicator]');
function by(v){var u=['B','KB','MB','GB','TB'],i=0;while(v>=1024&&i<4){v/=1024;i++}return (i?v.toFixed(1):v)+' '+u[i]}
function du(s){var h=Math.floor(s/3600),m=Math.floor(s%3600/60);return h>=24?Math.floor(h/24)+'d '+h%24+'h':h>0?h+'h '+m+'m':m+'m '+s%60+'s'}
function td(r,x,c){var c0=document.createElement('td');c0.textContent=x;if(c)c0.className='mono';r.appendChild(c0);return c0}
function tick(){b.querySelectorAll('[data-since]').forEach(function(c){c.textContent=du(Math.max(0,Math.floor((Date.now()-c.getAttribute('data-since'))/1000)))})}
function draw(m){var f=document.createDocumentFragment();m.sessions.forEach(function(s){var r=document.createElement('tr');
r.setAttribute('data-session-user',s.username);td(r,s.username,1);td(r,s.subjectKind);td(r,n[s.nasId]||s.nasId);
td(r,s.framedIp||'\u2014',1);td(r,s.callingStationId||'\u2014',1);td(r,'').setAttribute('data-since',Date.now()-s.uptimeSeconds*1000);
td(r,by(s.outputOctets)+' / '+by(s.inputOctets));if(p){var c=document.createElement('td'),o=p.content.firstElementChild.cloneNode(true);
o.action='/isp/sessions/'+encodeURIComponent(s.id)+'/disconnect';o.querySelector('button').setAttribute('data-confirm','Disconnect '+s.username+'?');
c.appendChild(o);r.appendChild(c)}f.appendChild(r)});b.replaceChildren(f);tick();t.hidden=!m.sessions.length;if(e)e.hidden=!!m.sessions.length}
var w;try{w=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/api/v1/sessions/live')}catch(x){return}
w.onmessage=function(v){try{var m=JSON.parse(v.data)}catch(x){return}if(m&&m.type==='sessions'&&Array.isArray(m.sessions)){draw(m);if(d)d.hidden=false}};
w.onclose=function(){if(d)d.hidden=true};setInterval(tick,1000)})();`;

/** Closed sessions, newest first: who was online, when, for how long, and why it ended. */
export function SessionHistoryPage(props: {
  shell: ConsoleShell;
  sessions: SessionOutput[];
  nasNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  return (
    <Layout title="Session history" shell={props.shell}>
      <p>
        <a href="/isp/sessions">← Live sessions</a>
      </p>
      <h1>Session history</h1>
      {props.sessions.length === 0 ? (
        <Empty>No closed sessions yet.</Empty>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>User</th>
                <th>Kind</th>
                <th>Router</th>
                <th>Started</th>
                <th>Ended</th>
                <th>Duration</th>
                <th>Down / up</th>
                <th>Why it ended</th>
              </tr>
            </thead>
            <tbody>
              {props.sessions.map((session) => (
                <tr data-history-user={session.username}>
                  <td class="mono">{session.username}</td>
                  <td>{session.subjectKind}</td>
                  <td>{props.nasNames.get(session.nasId) ?? session.nasId}</td>
                  <td>{formatDateTime(session.startedAt)}</td>
                  <td>{formatDateTime(session.stoppedAt)}</td>
                  <td>{formatDuration(session.uptimeSeconds)}</td>
                  <td>
                    {formatBytes(session.outputOctets)} / {formatBytes(session.inputOctets)}
                  </td>
                  <td>{session.terminateCause ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager path="/isp/sessions/history" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
