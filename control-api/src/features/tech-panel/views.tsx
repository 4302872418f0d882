// Technician panel (/tech): add PPPoE/static subscribers with a package, and find subscribers.
import type { PlanOutput, SubscriberOutput } from '@kiunga/schemas';
import { Pager } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import {
  type CreatedSubscriber,
  NewSubscriberSection,
  SubscriberCreated,
  SubscriberSearch,
  SubscriberTable,
} from '../../console/subscriber-parts';

export function TechNewSubscriberPage(props: {
  shell: ConsoleShell;
  plans: PlanOutput[];
  created?: CreatedSubscriber;
  draft?: Record<string, string> | null;
}) {
  return (
    <Layout title="New subscriber" shell={props.shell}>
      {props.created ? <SubscriberCreated {...props.created} /> : null}
      <SubscriberSearch action="/tech/subscribers" q="" />
      <NewSubscriberSection
        action="/tech/subscribers"
        csrfToken={props.shell.csrfToken}
        plans={props.plans}
        draft={props.draft}
      />
    </Layout>
  );
}

export function TechSearchPage(props: {
  shell: ConsoleShell;
  subscribers: SubscriberOutput[];
  planNames: Map<string, string>;
  nextCursor: string | null;
  query: Record<string, string | undefined>;
}) {
  return (
    <Layout title="Subscribers" shell={props.shell}>
      <h1>Subscribers</h1>
      <SubscriberSearch action="/tech/subscribers" q={props.query.q ?? ''} />
      <SubscriberTable
        subscribers={props.subscribers}
        planNames={props.planNames}
        linkBase={null}
        emptyText={props.query.q ? 'No subscriber matches this search.' : 'No subscribers yet.'}
      />
      <Pager path="/tech/subscribers" query={props.query} nextCursor={props.nextCursor} />
    </Layout>
  );
}
