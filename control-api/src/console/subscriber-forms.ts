// Subscriber form helpers shared by the ISP console (/isp/subscribers) and the technician panel
// (/tech): the form into the API's input, the plans a subscriber may be put on, and creation.
import type { PlanOutput, SubscriberOutput } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { AppEnv } from '../kernel/dependencies';
import type { Page } from '../kernel/pagination';
import type { CreatedSubscriber } from './subscriber-parts';
import { type AppFetch, callApi, formFields, optionalText } from './support';

const LOOKUP_LIMIT = 200;

/** Subscriber form fields into the API's create input (empty fields are left out). */
export function subscriberInputOf(fields: Record<string, string>) {
  const optional = (name: string) => optionalText(fields, name);
  return {
    planId: fields.planId ?? '',
    username: fields.username?.trim() ?? '',
    fullName: fields.fullName?.trim() ?? '',
    ...(optional('password') ? { password: optional('password') } : {}),
    ...(optional('phone') ? { phone: optional('phone') } : {}),
    ...(optional('email') ? { email: optional('email') } : {}),
    ...(optional('staticIp') ? { staticIp: optional('staticIp') } : {}),
    ...(optional('macAddress') ? { macAddress: optional('macAddress') } : {}),
    ...(optional('cpeSerialNumber') ? { cpeSerialNumber: optional('cpeSerialNumber') } : {}),
  };
}

/** Active PPPoE and static plans: what a subscriber may be put on. */
export async function subscriberPlans(context: Context<AppEnv>, fetchApp: AppFetch): Promise<PlanOutput[]> {
  const page = await callApi<Page<PlanOutput>>(
    context,
    fetchApp,
    'GET',
    `/api/v1/plans?limit=${LOOKUP_LIMIT}&isActive=true`,
  );
  return page.items.filter((plan) => plan.kind !== 'hotspot');
}

/** Plan names by id, for lists that show a subscriber's plan. */
export async function planNamesOf(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
): Promise<Map<string, string>> {
  const page = await callApi<Page<PlanOutput>>(
    context,
    fetchApp,
    'GET',
    `/api/v1/plans?limit=${LOOKUP_LIMIT}`,
  );
  return new Map(page.items.map((plan) => [plan.id, plan.name]));
}

/**
 * Creates a subscriber from the submitted form through the API; returns what the page shows next:
 * the subscriber with its plan name and generated password (shown once), and the plans for another one.
 */
export async function createSubscriberFromForm(
  context: Context<AppEnv>,
  fetchApp: AppFetch,
): Promise<{ plans: PlanOutput[]; created: CreatedSubscriber }> {
  const { password, ...subscriber } = await callApi<SubscriberOutput & { password?: string }>(
    context,
    fetchApp,
    'POST',
    '/api/v1/subscribers',
    subscriberInputOf(await formFields(context)),
  );
  const plans = await subscriberPlans(context, fetchApp);
  const planName = plans.find((plan) => plan.id === subscriber.planId)?.name ?? '';
  return { plans, created: { subscriber, planName, generatedPassword: password ?? null } };
}
