// ISP console: live sessions from the AAA server, with a disconnect button per session, each client's
// throughput and the per-router totals the live feed carries (issue 12).
import type { SessionOutput } from '@kiunga/schemas';
import { formatBytes, formatDateTime, formatDuration, PostButton } from '../../console/components';
import { InlineScript } from '../../console/inline-script';
import type { ConsoleShell } from '../../console/layout';
import { type Column, ListPage } from '../../console/list-page';

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
  return (
    <ListPage
      title="Live sessions"
      shell={props.shell}
      intro={
        <>
          <p>
            <a href="/isp/sessions">Refresh</a> · <a href="/isp/sessions/history">Session history</a>{' '}
            <span class="muted" data-live-indicator hidden>
              · ● live
            </span>
          </p>
          {props.isLive ? <LiveRoutersTable /> : null}
        </>
      }
      empty="Nobody is online right now."
      isUpdatedLive={true}
      attributes={{
        'data-live-table': props.isLive ? '' : undefined,
        'data-nas-names': JSON.stringify(Object.fromEntries(props.nasNames)),
      }}
      rows={props.sessions}
      rowAttributes={(session) => ({ 'data-session-user': session.username })}
      columns={[
        ...sessionColumns(props.nasNames),
        { header: 'IP', class: 'mono', cell: (session) => session.framedIp ?? '—' },
        { header: 'Device', class: 'mono', cell: (session) => session.callingStationId || '—' },
        { header: 'Uptime', cell: (session) => formatDuration(session.uptimeSeconds) },
        trafficColumn,
        { header: 'Rate down / up', cell: () => <span data-live-rate>—</span> },
        props.canDisconnect
          ? {
              header: '',
              cell: (session) => <DisconnectButton session={session} csrfToken={props.shell.csrfToken} />,
            }
          : null,
      ]}
      pager={{ path: '/isp/sessions', query: props.query, nextCursor: props.nextCursor }}
    >
      {props.isLive && props.canDisconnect ? (
        <template data-live-disconnect>
          <DisconnectButton session={null} csrfToken={props.shell.csrfToken} />
        </template>
      ) : null}
      {props.isLive ? <InlineScript source={LIVE_SESSIONS_SCRIPT} /> : null}
    </ListPage>
  );
}

/**
 * Per router: clients online, their traffic this session and their summed rates, filled in by the
 * live script from the feed's `nas` (rates need two interim updates of a client, so the server
 * renders no figure here).
 */
function LiveRoutersTable() {
  return (
    <section data-live-nas hidden>
      <h2>Routers now</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>Router</th>
              <th>Online</th>
              <th>Down / up</th>
              <th>Rate down / up</th>
            </tr>
          </thead>
          <tbody />
        </table>
      </div>
      <h2>Clients</h2>
    </section>
  );
}

/** Who, what kind and on which router: the first columns of the live and the history lists. */
function sessionColumns(nasNames: Map<string, string>): Column<SessionOutput>[] {
  return [
    { header: 'User', class: 'mono', cell: (session) => session.username },
    { header: 'Kind', cell: (session) => session.subjectKind },
    { header: 'Router', cell: (session) => nasNames.get(session.nasId) ?? session.nasId },
  ];
}

const trafficColumn: Column<SessionOutput> = {
  header: 'Down / up',
  cell: (session) => `${formatBytes(session.outputOctets)} / ${formatBytes(session.inputOctets)}`,
};

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
d=document.querySelector('[data-live-indicator]'),g=document.querySelector('[data-live-nas]');
function by(v){var u=['B','KB','MB','GB','TB'],i=0;while(v>=1024&&i<4){v/=1024;i++}return (i?v.toFixed(1):v)+' '+u[i]}
function du(s){var h=Math.floor(s/3600),m=Math.floor(s%3600/60);return h>=24?Math.floor(h/24)+'d '+h%24+'h':h>0?h+'h '+m+'m':m+'m '+s%60+'s'}
function bps(v){return v==null?'\u2014':v>=1e6?(v/1e6).toFixed(1)+' Mbit/s':(v/1e3).toFixed(0)+' kbit/s'}
function td(r,x,c){var c0=document.createElement('td');c0.textContent=x;if(c)c0.className='mono';r.appendChild(c0);return c0}
function tick(){b.querySelectorAll('[data-since]').forEach(function(c){c.textContent=du(Math.max(0,Math.floor((Date.now()-c.getAttribute('data-since'))/1000)))})}
function draw(m){var f=document.createDocumentFragment();m.sessions.forEach(function(s){var r=document.createElement('tr');
r.setAttribute('data-session-user',s.username);td(r,s.username,1);td(r,s.subjectKind);td(r,n[s.nasId]||s.nasId);
td(r,s.framedIp||'\u2014',1);td(r,s.callingStationId||'\u2014',1);td(r,'').setAttribute('data-since',Date.now()-s.uptimeSeconds*1000);
td(r,by(s.outputOctets)+' / '+by(s.inputOctets));var q=(m.throughput||{})[s.id]||{};
td(r,bps(q.out)+' / '+bps(q.in)).setAttribute('data-live-rate','');if(p){var c=document.createElement('td'),o=p.content.firstElementChild.cloneNode(true);
o.action='/isp/sessions/'+encodeURIComponent(s.id)+'/disconnect';o.querySelector('button').setAttribute('data-confirm','Disconnect '+s.username+'?');
c.appendChild(o);r.appendChild(c)}f.appendChild(r)});b.replaceChildren(f);tick();t.hidden=!m.sessions.length;if(e)e.hidden=!!m.sessions.length;
if(g&&Array.isArray(m.nas)){var k=document.createDocumentFragment();m.nas.forEach(function(a){var r=document.createElement('tr');
r.setAttribute('data-live-nas-id',a.nasId);td(r,n[a.nasId]||a.nasId);td(r,String(a.sessions));td(r,by(a.outputOctets)+' / '+by(a.inputOctets));
td(r,bps(a.outBitsPerSecond)+' / '+bps(a.inBitsPerSecond));k.appendChild(r)});g.querySelector('tbody').replaceChildren(k);g.hidden=!m.nas.length}}
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
    <ListPage
      title="Session history"
      shell={props.shell}
      above={
        <p>
          <a href="/isp/sessions">← Live sessions</a>
        </p>
      }
      empty="No closed sessions yet."
      rows={props.sessions}
      rowAttributes={(session) => ({ 'data-history-user': session.username })}
      columns={[
        ...sessionColumns(props.nasNames),
        { header: 'Started', cell: (session) => formatDateTime(session.startedAt) },
        { header: 'Ended', cell: (session) => formatDateTime(session.stoppedAt) },
        { header: 'Duration', cell: (session) => formatDuration(session.uptimeSeconds) },
        trafficColumn,
        { header: 'Why it ended', cell: (session) => session.terminateCause ?? '—' },
      ]}
      pager={{ path: '/isp/sessions/history', query: props.query, nextCursor: props.nextCursor }}
    />
  );
}
