// The usage chart as pages show it (subscriber, voucher and self-service pages), and the voucher's
// usage page.
import type { VoucherOutput } from '@kiunga/schemas';
import { raw } from 'hono/html';
import { formatBytes, formatDateTime } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { UsageSeries } from './core/index';

/** A server-rendered SVG chart (renderUsageChartSvg escapes every text it draws) with the totals in words. */
export function UsageChart(props: { svg: string; series: UsageSeries; days: number }) {
  const { totals } = props.series;
  return (
    <figure class="usage-chart" data-usage-chart>
      {raw(props.svg)}
      <figcaption>
        Last {props.days} days: {formatBytes(totals.outputOctets)} down, {formatBytes(totals.inputOctets)} up.
        Updated every minute.
      </figcaption>
    </figure>
  );
}

export function VoucherUsagePage(props: {
  shell: ConsoleShell;
  voucher: VoucherOutput;
  chart: { svg: string; series: UsageSeries; days: number };
}) {
  const { voucher } = props;
  return (
    <Layout title={`Voucher ${voucher.code}`} shell={props.shell}>
      <h1>
        Voucher <span class="mono">{voucher.code}</span>
      </h1>
      <p>
        {voucher.status} · first used {formatDateTime(voucher.firstUsedAt)} · expires{' '}
        {formatDateTime(voucher.expiresAt)}
        {' · '}
        <a href={`/isp/diagnostics?q=${encodeURIComponent(voucher.code)}`}>Why offline?</a>
      </p>
      <UsageChart {...props.chart} />
    </Layout>
  );
}
