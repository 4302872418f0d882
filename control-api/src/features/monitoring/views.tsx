// ISP console router health page (/isp/nas/:id/health): reachable, last seen, last accounting, the
// last SNMP sample (uptime, CPU, memory, interfaces with their rates) and the router's open alert.
import type { NasOutput } from '@kiunga/schemas';
import { CsrfField, Empty, formatBytes, formatDateTime, formatDuration } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { SNMP_COMMUNITY_CHARS_MAX, SNMP_PORT_DEFAULT } from '../../integrations/snmp';
import type { NasHealthOutput } from './service';

const BITS_PER_MEGABIT = 1_000_000;

/** "12.3 Mbit/s": link rates are counted in decimal megabits, as RouterOS shows them. */
function formatBitRate(bitsPerSecond: number): string {
  return `${(bitsPerSecond / BITS_PER_MEGABIT).toFixed(1)} Mbit/s`;
}

export function NasHealthPage(props: {
  shell: ConsoleShell;
  nas: NasOutput;
  health: NasHealthOutput;
  canWrite: boolean;
}) {
  const { nas, health } = props;
  return (
    <Layout title={`Router health: ${nas.name}`} shell={props.shell}>
      <h1>Router health: {nas.name}</h1>
      {health.isAlertRaised ? (
        <div class="flash error" role="alert" data-nas-alert>
          Open alert since {formatDateTime(health.alertRaisedAt)}: no accounting or SNMP from this router.
        </div>
      ) : (
        <p data-nas-alert-none>No open alert.</p>
      )}
      <section class="card">
        <table data-nas-health>
          <tbody>
            <tr>
              <th>Reachable</th>
              <td data-reachable={health.reachable ? 'yes' : 'no'}>{health.reachable ? 'Yes' : 'No'}</td>
            </tr>
            <tr>
              <th>Last seen</th>
              <td>{formatDateTime(health.lastSeenAt)}</td>
            </tr>
            <tr>
              <th>Last accounting</th>
              <td data-last-accounting>{formatDateTime(health.lastAccountingAt)}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <SnmpSection {...props} />
    </Layout>
  );
}

function SnmpSection(props: {
  nas: NasOutput;
  health: NasHealthOutput;
  canWrite: boolean;
  shell: ConsoleShell;
}) {
  const { health } = props;
  if (health.snmpSettings === null) {
    return (
      <section class="card" data-snmp-unset>
        <Empty>
          Set SNMP to see this router's uptime, CPU, memory and interfaces (on the MikroTik: /snmp set
          enabled=yes, and a community under /snmp community).
        </Empty>
        {props.canWrite ? <SnmpForm {...props} /> : null}
      </section>
    );
  }
  if (health.snmp === null) {
    return (
      <section class="card" data-snmp-waiting>
        <Empty>
          No SNMP answer yet
          {health.lastSnmpError === null
            ? ': the first poll comes within a minute.'
            : ` (last poll: ${health.lastSnmpError}).`}
        </Empty>
      </section>
    );
  }
  const { snmp } = health;
  const rates = new Map(health.throughput.map((rate) => [rate.name, rate]));
  return (
    <section class="card" data-snmp>
      <h2>SNMP (polled {formatDateTime(snmp.polledAt)})</h2>
      <table>
        <tbody>
          <tr>
            <th>Uptime</th>
            <td data-uptime>{formatDuration(snmp.sysUpTimeSeconds)}</td>
          </tr>
          <tr>
            <th>CPU</th>
            <td data-cpu>{snmp.cpuLoadPercent === null ? '—' : `${snmp.cpuLoadPercent} %`}</td>
          </tr>
          <tr>
            <th>Memory</th>
            <td>
              {snmp.memory === null
                ? '—'
                : `${formatBytes(snmp.memory.usedBytes)} of ${formatBytes(snmp.memory.totalBytes)}`}
            </td>
          </tr>
          {health.lastSnmpError === null ? null : (
            <tr>
              <th>Last poll</th>
              <td>failed: {health.lastSnmpError}</td>
            </tr>
          )}
        </tbody>
      </table>
      <h2>Interfaces</h2>
      <table data-interfaces>
        <thead>
          <tr>
            <th>Interface</th>
            <th>In</th>
            <th>Out</th>
            <th>In rate</th>
            <th>Out rate</th>
          </tr>
        </thead>
        <tbody>
          {snmp.interfaces.map((item) => {
            const rate = rates.get(item.name);
            return (
              <tr data-interface={item.name}>
                <td class="mono">{item.name}</td>
                <td>{formatBytes(item.inOctets)}</td>
                <td>{formatBytes(item.outOctets)}</td>
                <td>{rate ? formatBitRate(rate.inBitsPerSecond) : '—'}</td>
                <td>{rate ? formatBitRate(rate.outBitsPerSecond) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function SnmpForm(props: { nas: NasOutput; shell: ConsoleShell }) {
  return (
    <form method="post" action={`/isp/nas/${props.nas.id}/snmp`}>
      <CsrfField token={props.shell.csrfToken} />
      <div class="row">
        <div>
          <label for="communitySecret">SNMP community</label>
          <input
            id="communitySecret"
            name="communitySecret"
            required
            maxlength={SNMP_COMMUNITY_CHARS_MAX}
            autocomplete="off"
          />
        </div>
        <div>
          <label for="port">Port</label>
          <input id="port" name="port" type="number" min={1} max={65535} value={String(SNMP_PORT_DEFAULT)} />
        </div>
      </div>
      <button type="submit">Set SNMP (v2c)</button>
    </form>
  );
}
