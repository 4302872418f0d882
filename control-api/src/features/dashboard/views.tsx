// ISP console home: key counts and the newest live sessions.
import type { SessionOutput } from '@kiunga/schemas';
import { formatDateTime, formatDuration } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { GettingStartedStep } from '../signup/core';

export interface DashboardFigure {
  label: string;
  value: string;
  href: string | null;
}

export function DashboardPage(props: {
  shell: ConsoleShell;
  /** A new ISP's first steps (empty once all are done: then nothing shows). */
  checklist: readonly GettingStartedStep[];
  figures: DashboardFigure[];
  /** Newest live sessions, or null when the principal may not see sessions. */
  sessions: SessionOutput[] | null;
  /** Routers with a quiet alert up (issue 12), shown as a banner until they are heard again. */
  quietRouters: Array<{ nasId: string; name: string; raisedAt: number; hasSnmp: number }>;
}) {
  return (
    <Layout title="Dashboard" shell={props.shell}>
      <h1>Dashboard</h1>
      {props.checklist.length === 0 ? null : (
        <section class="card" data-getting-started>
          <h2>Getting started</h2>
          <ol>
            {props.checklist.map((step) => (
              <li data-step={step.key} data-done={step.isDone ? 'true' : 'false'}>
                {step.isDone ? <s>{step.text}</s> : <a href={step.href}>{step.text}</a>}
                {step.isDone ? ' ✓' : ''}
              </li>
            ))}
          </ol>
        </section>
      )}
      {props.quietRouters.length === 0 ? null : (
        <div class="flash error" role="alert" data-quiet-routers>
          {props.quietRouters.map((router) => (
            <p>
              Router <a href={`/isp/nas/${router.nasId}/health`}>{router.name}</a> is silent (alert raised{' '}
              {formatDateTime(router.raisedAt)}): no accounting or SNMP.
              {router.hasSnmp === 1
                ? ' Check its power and uplink.'
                : ' Without SNMP a router with nobody online also looks silent: set SNMP on it to tell the two apart.'}
            </p>
          ))}
        </div>
      )}
      <div class="stats">
        {props.figures.map((figure) => (
          <div class="stat" data-figure={figure.label}>
            <b>{figure.value}</b>
            {figure.href ? <a href={figure.href}>{figure.label}</a> : figure.label}
          </div>
        ))}
      </div>
      {props.sessions === null ? null : (
        <section class="card">
          <h2>Online now</h2>
          {props.sessions.length === 0 ? (
            <p class="muted">Nobody is online right now.</p>
          ) : (
            <ul>
              {props.sessions.map((session) => (
                <li>
                  <span class="mono">{session.username}</span> · {formatDuration(session.uptimeSeconds)}
                </li>
              ))}
            </ul>
          )}
          <a href="/isp/sessions">All live sessions →</a>
        </section>
      )}
    </Layout>
  );
}
