// Platform console Live page (/platform/live): the operator's live view over every ISP, served from
// GET /api/v1/platform/live and kept up to date by its WebSocket (platform-live-feed.ts).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { InlineScript } from '../../console/inline-script';
import { type ConsoleShell, Layout } from '../../console/layout';
import { type AppFetch, assertPermission, callApi, renderHtml } from '../../console/support';
import type { AppEnv } from '../../kernel/dependencies';
import type { PlatformLiveView } from './platform-live';

export function platformLivePageRoutes(
  fetchApp: AppFetch,
  shell: (context: Context<AppEnv>) => ConsoleShell,
): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/live', async (context) => {
    assertPermission(context, 'tenants.read');
    const view = await callApi<PlatformLiveView>(context, fetchApp, 'GET', '/api/v1/platform/live');
    return renderHtml(context, <PlatformLivePage shell={shell(context)} view={view} />);
  });
  return routes;
}

/** The figures the page shows, each in an element the script finds by `data-live-figure`. */
function figuresOf(view: PlatformLiveView): Array<{ key: string; label: string; value: string }> {
  return [
    { key: 'onlineClients', label: 'Clients online', value: String(view.onlineClients) },
    {
      key: 'accessRequestsPerSecond',
      label: 'Access-Requests/s',
      value: String(view.accessRequestsPerSecond),
    },
    { key: 'accountingPerSecond', label: 'Accounting/s', value: String(view.accountingPerSecond) },
    { key: 'nasUp', label: 'Routers up', value: String(view.nas.up) },
    { key: 'nasDown', label: 'Routers down', value: String(view.nas.down) },
    { key: 'paymentsPerMinute', label: 'Payments/min', value: String(view.paymentsPerMinute) },
  ];
}

function PlatformLivePage(props: { shell: ConsoleShell; view: PlatformLiveView }) {
  const rejects = Object.entries(props.view.rejectsPerMinuteByReason);
  return (
    <Layout title="Live" shell={props.shell}>
      <h1>Live</h1>
      <p class="muted">
        All ISPs, every few seconds.{' '}
        <span data-live-indicator hidden>
          ● live
        </span>
      </p>
      <div class="stats">
        {figuresOf(props.view).map((figure) => (
          <div class="stat">
            <b data-live-figure={figure.key}>{figure.value}</b>
            {figure.label}
          </div>
        ))}
      </div>
      <h2>Rejects per minute by reason</h2>
      <p data-live-rejects-none hidden={rejects.length > 0}>
        No rejects.
      </p>
      <div class="table-wrap" data-live-rejects hidden={rejects.length === 0}>
        <table>
          <thead>
            <tr>
              <th>Reason</th>
              <th>Per minute</th>
            </tr>
          </thead>
          <tbody>
            {rejects.map(([reason, perMinute]) => (
              <tr data-reject-reason={reason}>
                <td class="mono">{reason}</td>
                <td>{String(perMinute)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <InlineScript source={PLATFORM_LIVE_SCRIPT} />
    </Layout>
  );
}

/**
 * Writes each message of the platform feed into the figures and the rejects table (data enters the
 * DOM only as textContent). Without JavaScript or a socket, the served figures simply stay.
 */
const PLATFORM_LIVE_SCRIPT = `(function(){
if(!window.WebSocket)return;var d=document.querySelector('[data-live-indicator]'),
t=document.querySelector('[data-live-rejects]'),z=document.querySelector('[data-live-rejects-none]');
function set(k,v){var e=document.querySelector('[data-live-figure="'+k+'"]');if(e)e.textContent=String(v)}
function draw(m){set('onlineClients',m.onlineClients);set('accessRequestsPerSecond',m.accessRequestsPerSecond);
set('accountingPerSecond',m.accountingPerSecond);set('nasUp',m.nas.up);set('nasDown',m.nas.down);
set('paymentsPerMinute',m.paymentsPerMinute);var f=document.createDocumentFragment(),r=Object.keys(m.rejectsPerMinuteByReason||{});
r.forEach(function(k){var w=document.createElement('tr'),a=document.createElement('td'),b=document.createElement('td');
w.setAttribute('data-reject-reason',k);a.className='mono';a.textContent=k;b.textContent=String(m.rejectsPerMinuteByReason[k]);
w.appendChild(a);w.appendChild(b);f.appendChild(w)});t.querySelector('tbody').replaceChildren(f);t.hidden=!r.length;z.hidden=!!r.length}
var s;try{s=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/api/v1/platform/live')}catch(x){return}
s.onmessage=function(v){try{var m=JSON.parse(v.data)}catch(x){return}if(m&&m.type==='platform_live'&&m.nas){draw(m);if(d)d.hidden=false}};
s.onclose=function(){if(d)d.hidden=true}})();`;
