// ISP console: plans list, create form and edit form (hotspot packages and monthly PPPoE/static).
import type { PlanOutput } from '@kiunga/schemas';
import { centsToShillingsText, formatKsh } from '@kiunga/schemas';
import { CsrfField, StatusBadge } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import { ListPage } from '../../console/list-page';
import { formatValidity } from '../vouchers/voucher-sheet';

export function planTerms(plan: PlanOutput): string {
  if (plan.kind === 'hotspot' && plan.validitySeconds !== null)
    return `${formatValidity(plan.validitySeconds)} · ${plan.deviceLimit} device${plan.deviceLimit === 1 ? '' : 's'}`;
  const months = plan.billingCycleMonths ?? 1;
  return months === 1 ? 'monthly' : `every ${months} months`;
}

export function PlansPage(props: {
  shell: ConsoleShell;
  plans: PlanOutput[];
  nextCursor: string | null;
  query: Record<string, string | undefined>;
  canWrite: boolean;
  draft?: Record<string, string> | null;
}) {
  return (
    <ListPage
      title="Plans"
      shell={props.shell}
      empty="No plans yet. Create your first package below."
      rows={props.plans}
      rowAttributes={(plan) => ({ 'data-plan-id': plan.id })}
      columns={[
        { header: 'Name', cell: (plan) => plan.name },
        { header: 'Kind', cell: (plan) => plan.kind },
        { header: 'Price', cell: (plan) => formatKsh(plan.priceCents) },
        { header: 'Terms', cell: (plan) => planTerms(plan) },
        { header: 'Speed', class: 'mono', cell: (plan) => plan.rateLimit },
        { header: 'Status', cell: (plan) => <StatusBadge status={plan.isActive ? 'active' : 'archived'} /> },
        props.canWrite
          ? {
              header: '',
              cell: (plan) => (
                <a class="button secondary" href={`/isp/plans/${plan.id}`}>
                  Edit
                </a>
              ),
            }
          : null,
      ]}
      pager={{ path: '/isp/plans', query: props.query, nextCursor: props.nextCursor }}
    >
      {props.canWrite ? (
        <section class="card">
          <h2>New plan</h2>
          <PlanForm
            action="/isp/plans"
            csrfToken={props.shell.csrfToken}
            plan={null}
            draft={props.draft ?? null}
          />
        </section>
      ) : null}
    </ListPage>
  );
}

export function PlanEditPage(props: {
  shell: ConsoleShell;
  plan: PlanOutput;
  draft?: Record<string, string> | null;
}) {
  return (
    <Layout title={`Plan ${props.plan.name}`} shell={props.shell}>
      <p>
        <a href="/isp/plans">← Plans</a>
      </p>
      <h1>Edit {props.plan.name}</h1>
      <p class="muted">
        Vouchers already sold keep the terms they were sold with; subscribers follow the plan.
      </p>
      <section class="card">
        <PlanForm
          action={`/isp/plans/${props.plan.id}`}
          csrfToken={props.shell.csrfToken}
          plan={props.plan}
          draft={props.draft ?? null}
        />
      </section>
    </Layout>
  );
}

function validityParts(seconds: number | null): { value: string; unit: string } {
  if (seconds === null) return { value: '', unit: 'hours' };
  if (seconds % 86_400 === 0) return { value: String(seconds / 86_400), unit: 'days' };
  if (seconds % 3_600 === 0) return { value: String(seconds / 3_600), unit: 'hours' };
  return { value: String(Math.round(seconds / 60)), unit: 'minutes' };
}

function PlanForm(props: {
  action: string;
  csrfToken: string;
  plan: PlanOutput | null;
  draft: Record<string, string> | null;
}) {
  const { plan, draft } = props;
  const validity = validityParts(plan?.validitySeconds ?? null);
  const value = (number: number | null | undefined) =>
    number === null || number === undefined ? '' : String(number);
  /** What the user typed before a validation error, else the saved value. */
  const field = (name: string, saved: string) => draft?.[name] ?? saved;
  const kind = field('kind', plan?.kind ?? 'hotspot');
  const unit = field('validityUnit', validity.unit);
  const burstNames = [
    'burstUpKbps',
    'burstDownKbps',
    'burstThresholdUpKbps',
    'burstThresholdDownKbps',
    'burstTimeSeconds',
  ] as const;
  const hasBurst = burstNames.some((name) => (plan?.[name] ?? null) !== null || Boolean(draft?.[name]));
  const dataCap = plan?.dataCapBytes ? String(Math.round((plan.dataCapBytes / 1024 ** 3) * 100) / 100) : '';
  const numberInput = (
    name: string,
    saved: number | null | undefined,
    attributes: { min?: string; max?: string },
  ) => <input id={name} name={name} type="number" {...attributes} value={field(name, value(saved))} />;
  return (
    <form method="post" action={props.action}>
      <CsrfField token={props.csrfToken} />
      <div class="row">
        <div>
          <label for="name">Name</label>
          <input id="name" name="name" required maxlength={80} value={field('name', plan?.name ?? '')} />
        </div>
        <div>
          <label for="kind">Kind</label>
          <select id="kind" name="kind">
            {(['hotspot', 'pppoe', 'static'] as const).map((option) => (
              <option value={option} selected={kind === option}>
                {option === 'hotspot'
                  ? 'Hotspot voucher'
                  : option === 'pppoe'
                    ? 'PPPoE monthly'
                    : 'Static IP monthly'}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="price">Price (Ksh)</label>
          <input
            id="price"
            name="price"
            type="number"
            min="0"
            step="0.01"
            required
            value={field('price', plan ? centsToShillingsText(plan.priceCents) : '')}
          />
        </div>
        <div>
          <label for="deviceLimit">Devices at once</label>
          {numberInput('deviceLimit', plan?.deviceLimit ?? 1, { min: '1', max: '64' })}
        </div>
        <div>
          <label for="rateDownKbps">Download speed (kbit/s; 2048 = 2 Mbit/s)</label>
          <input
            id="rateDownKbps"
            name="rateDownKbps"
            type="number"
            min="1"
            required
            value={field('rateDownKbps', value(plan?.rateDownKbps))}
          />
        </div>
        <div>
          <label for="rateUpKbps">Upload speed (kbit/s)</label>
          <input
            id="rateUpKbps"
            name="rateUpKbps"
            type="number"
            min="1"
            required
            value={field('rateUpKbps', value(plan?.rateUpKbps))}
          />
        </div>
        <div>
          <label for="validityValue">Hotspot: valid for</label>
          <div class="row" style="grid-template-columns:1fr 1fr">
            <input
              id="validityValue"
              name="validityValue"
              type="number"
              min="1"
              value={field('validityValue', validity.value)}
            />
            <select name="validityUnit" aria-label="Validity unit">
              {['minutes', 'hours', 'days'].map((option) => (
                <option value={option} selected={unit === option}>
                  {option}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div>
          <label for="billingCycleMonths">PPPoE/static: billing cycle (months)</label>
          {numberInput('billingCycleMonths', plan?.billingCycleMonths ?? null, { min: '1', max: '12' })}
        </div>
        <div>
          <label for="ipPool">PPPoE/static: MikroTik IP pool (optional)</label>
          <input id="ipPool" name="ipPool" maxlength={64} value={field('ipPool', plan?.ipPool ?? '')} />
        </div>
        <div>
          <label for="dataCapGigabytes">Data cap (GB, optional)</label>
          <input
            id="dataCapGigabytes"
            name="dataCapGigabytes"
            type="number"
            min="0.01"
            step="0.01"
            value={field('dataCapGigabytes', dataCap)}
          />
        </div>
      </div>
      <details open={hasBurst}>
        <summary>Burst (optional: fill all five or none)</summary>
        <div class="row">
          <div>
            <label for="burstDownKbps">Burst download (kbit/s)</label>
            {numberInput('burstDownKbps', plan?.burstDownKbps, { min: '1' })}
          </div>
          <div>
            <label for="burstUpKbps">Burst upload (kbit/s)</label>
            {numberInput('burstUpKbps', plan?.burstUpKbps, { min: '1' })}
          </div>
          <div>
            <label for="burstThresholdDownKbps">Burst threshold download (kbit/s)</label>
            {numberInput('burstThresholdDownKbps', plan?.burstThresholdDownKbps, { min: '1' })}
          </div>
          <div>
            <label for="burstThresholdUpKbps">Burst threshold upload (kbit/s)</label>
            {numberInput('burstThresholdUpKbps', plan?.burstThresholdUpKbps, { min: '1' })}
          </div>
          <div>
            <label for="burstTimeSeconds">Burst time (seconds)</label>
            {numberInput('burstTimeSeconds', plan?.burstTimeSeconds, { min: '1', max: '3600' })}
          </div>
        </div>
      </details>
      {plan ? (
        <label>
          <input type="checkbox" name="isActive" value="true" checked={plan.isActive} /> On sale (uncheck to
          archive)
        </label>
      ) : null}
      <button type="submit">{plan ? 'Save plan' : 'Create plan'}</button>
    </form>
  );
}
