// ISP console: voucher search and list, batch generation, one batch's codes with print/PDF/CSV links.
import type { PlanOutput, VoucherOutput } from '@kiunga/schemas';
import { formatKsh } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime, PostButton, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { ListPage } from '../../console/list-page';
import { formatValidity } from './voucher-sheet';

export function VouchersPage(props: {
  shell: ConsoleShell;
  vouchers: VoucherOutput[];
  planNames: Map<string, string>;
  hotspotPlans: PlanOutput[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canWrite: boolean;
}) {
  const { query } = props;
  return (
    <ListPage
      title="Vouchers"
      shell={props.shell}
      intro={
        props.canWrite ? <GenerateForm csrfToken={props.shell.csrfToken} plans={props.hotspotPlans} /> : null
      }
      filters={
        <>
          <form method="get" action="/isp/vouchers">
            <input name="q" placeholder="Code starts with…" value={query.q ?? ''} aria-label="Search codes" />
            <select name="status" aria-label="Status">
              <option value="">Any status</option>
              {['unused', 'active', 'expired', 'revoked'].map((status) => (
                <option value={status} selected={query.status === status}>
                  {status}
                </option>
              ))}
            </select>
            <button type="submit">Search</button>
          </form>
          <a
            class="button secondary"
            href={`/api/v1/vouchers/export.csv${query.status ? `?status=${query.status}` : ''}`}
          >
            CSV
          </a>
        </>
      }
      empty={
        query.q || query.status
          ? 'No voucher matches this search.'
          : 'No vouchers yet. Generate a batch above.'
      }
      rows={props.vouchers}
      rowAttributes={(voucher) => ({ 'data-code': voucher.code })}
      columns={[
        {
          header: 'Code',
          class: 'mono',
          cell: (voucher) => <a href={`/isp/vouchers/${voucher.id}`}>{voucher.code}</a>,
        },
        { header: 'Plan', cell: (voucher) => props.planNames.get(voucher.planId) ?? '—' },
        { header: 'Status', cell: (voucher) => <StatusBadge status={voucher.status} /> },
        { header: 'Devices', cell: (voucher) => voucher.deviceLimit },
        { header: 'First used', cell: (voucher) => formatDateTime(voucher.firstUsedAt) },
        { header: 'Expires', cell: (voucher) => formatDateTime(voucher.expiresAt) },
        {
          header: 'Batch',
          cell: (voucher) =>
            voucher.batchId ? <a href={`/isp/vouchers/batches/${voucher.batchId}`}>batch</a> : '—',
        },
        props.canWrite
          ? {
              header: '',
              cell: (voucher) =>
                voucher.status === 'revoked' ? null : (
                  <PostButton
                    action={`/isp/vouchers/${voucher.id}/revoke`}
                    csrfToken={props.shell.csrfToken}
                    label="Revoke"
                    variant="danger"
                    confirm={`Revoke ${voucher.code}? Its users are disconnected.`}
                  />
                ),
            }
          : null,
      ]}
      pager={{ path: '/isp/vouchers', query, nextCursor: props.nextCursor }}
    />
  );
}

function GenerateForm(props: { csrfToken: string; plans: PlanOutput[] }) {
  if (props.plans.length === 0)
    return (
      <Empty>
        To sell vouchers, first <a href="/isp/plans">create a hotspot plan</a>.
      </Empty>
    );
  return (
    <section class="card">
      <h2>Generate a batch</h2>
      <form method="post" action="/isp/vouchers">
        <CsrfField token={props.csrfToken} />
        <div class="row">
          <div>
            <label for="planId">Plan</label>
            <select id="planId" name="planId" required>
              {props.plans.map((plan) => (
                <option value={plan.id}>
                  {plan.name} · {formatKsh(plan.priceCents)} · {formatValidity(plan.validitySeconds ?? 0)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label for="count">How many</label>
            <input id="count" name="count" type="number" min="1" max="10000" value="20" required />
          </div>
          <div>
            <label for="prefix">Prefix (optional)</label>
            <input id="prefix" name="prefix" maxlength={8} pattern="[A-Za-z0-9-]*" />
          </div>
          <div>
            <label for="length">Code length</label>
            <input id="length" name="length" type="number" min="6" max="16" value="8" />
          </div>
        </div>
        <button type="submit">Generate</button>
      </form>
    </section>
  );
}

export function VoucherBatchPage(props: {
  shell: ConsoleShell;
  batchId: string;
  planName: string;
  vouchers: VoucherOutput[];
}) {
  const batch = encodeURIComponent(props.batchId);
  return (
    <Layout title="Voucher batch" shell={props.shell}>
      <p>
        <a href="/isp/vouchers">← Vouchers</a>
      </p>
      <h1>
        {props.vouchers.length} vouchers · {props.planName}
      </h1>
      <p>
        <a
          class="button"
          href={`/api/v1/vouchers/print?batchId=${batch}`}
          target="_blank"
          data-print-sheet
          rel="noopener"
        >
          Print sheet
        </a>{' '}
        <a class="button secondary" href={`/api/v1/vouchers/print?batchId=${batch}&format=pdf`}>
          PDF
        </a>{' '}
        <a class="button secondary" href={`/api/v1/vouchers/export.csv?batchId=${batch}`}>
          CSV
        </a>
      </p>
      <div class="card">
        <ul class="mono" data-batch-codes style="columns:2 9rem;margin:0;padding-left:1.1rem">
          {props.vouchers.map((voucher) => (
            <li>{voucher.code}</li>
          ))}
        </ul>
      </div>
    </Layout>
  );
}
