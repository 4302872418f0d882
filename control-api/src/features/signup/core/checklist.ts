// The getting-started checklist on a new ISP's dashboard (issue 15): add a router with its script, create
// a plan, then print vouchers (hotspot) or add a subscriber (PPPoE only); shown until every step is done.

export interface GettingStartedFacts {
  readonly routers: number;
  readonly plans: number;
  readonly vouchers: number;
  readonly subscribers: number;
  /** Whether the ISP's tier has the hotspot (vouchers) and PPPoE (subscribers) features. */
  readonly hasHotspot: boolean;
  readonly hasPppoe: boolean;
}

export interface GettingStartedStep {
  readonly key: 'router' | 'plan' | 'vouchers' | 'subscriber';
  readonly text: string;
  readonly href: string;
  readonly isDone: boolean;
}

/** The steps in order; an empty list once all are done (the dashboard then shows nothing). */
export function gettingStartedSteps(facts: GettingStartedFacts): readonly GettingStartedStep[] {
  const steps: GettingStartedStep[] = [
    {
      key: 'router',
      text: 'Add your MikroTik router and paste its setup script',
      href: '/isp/nas',
      isDone: facts.routers > 0,
    },
    { key: 'plan', text: 'Create a plan (price, speed, time)', href: '/isp/plans', isDone: facts.plans > 0 },
  ];
  if (facts.hasHotspot)
    steps.push({
      key: 'vouchers',
      text: 'Print your first vouchers',
      href: '/isp/vouchers',
      isDone: facts.vouchers > 0,
    });
  else if (facts.hasPppoe)
    steps.push({
      key: 'subscriber',
      text: 'Add your first subscriber',
      href: '/isp/subscribers',
      isDone: facts.subscribers > 0,
    });
  return steps.every((step) => step.isDone) ? [] : steps;
}
