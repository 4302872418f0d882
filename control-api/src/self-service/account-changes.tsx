// Self-service changes a subscriber makes to its own account (issue 15): move to another plan (the
// billing engine credits the unused days of the old plan and charges the new one on the next invoice;
// live sessions get the new rate by CoA at once) and change the password (which is also the PPPoE
// password: live sessions are ended so the router asks again with the new one, and every other
// signed-in browser of this account is signed out).

import { formatKsh, KiungaError } from '@kiunga/schemas';
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { listPlans } from '../features/plans/service';
import { disconnectSubjectSessions } from '../features/sessions/service';
import { moveSubscriberToPlan, updateSubscriber } from '../features/subscribers/service';
import { t } from '../i18n';
import type { PageLanguage } from '../i18n/request-language';
import { recordAuditAs, sourceAddressOf } from '../kernel/audit';
import type { ApiDependencies } from '../kernel/dependencies';
import { customerSignInThrottle } from './login-limits';
import { authenticateSubscriber, type SelfServiceIsp } from './service';
import { startCustomerSession } from './session';
import type { SubscriberProfile } from './store';
import { CustomerLayout, type PageFrame } from './views';

/** The plans a subscriber can pick from: an ISP sells a handful; more than this is a catalogue, not a choice. */
const PLANS_SHOWN_MAX = 50;
/** PPPoE passwords (schemas/src/api/subscribers.ts bounds them the same for staff). */
const PASSWORD_LENGTH_MIN = 8;
const PASSWORD_LENGTH_MAX = 64;

export interface SignedSubscriber extends SelfServiceIsp {
  profile: SubscriberProfile;
  csrfToken: string;
  page: PageLanguage;
}

interface PlanChoice {
  id: string;
  name: string;
  priceCents: number;
  rateLimit: string;
}

function PlanPage(
  props: PageFrame & { profile: SubscriberProfile; plans: PlanChoice[]; error?: string | null },
) {
  const base = `/account/${props.slug}`;
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.plan.title')}>
      <section>
        <h2>{t(language, 'account.plan.title')}</h2>
        <p>
          {t(language, 'account.plan.current', {
            plan: props.profile.planName,
            price: formatKsh(props.profile.planPriceCents),
          })}
        </p>
        {props.error ? <p class="error">{props.error}</p> : null}
        {props.plans.length === 0 ? (
          <p class="note">{t(language, 'account.plan.none')}</p>
        ) : (
          <form method="post" action={`${base}/plan`}>
            <input type="hidden" name="_csrf" value={props.session?.csrfToken ?? ''} />
            {props.plans.map((plan) => (
              <label class="choice">
                <input type="radio" name="planId" value={plan.id} required /> {plan.name} —{' '}
                {formatKsh(plan.priceCents)}, {plan.rateLimit}
              </label>
            ))}
            <button type="submit">{t(language, 'account.plan.title')}</button>
          </form>
        )}
      </section>
    </CustomerLayout>
  );
}

function PasswordPage(props: PageFrame & { error?: string | null; done?: boolean }) {
  const base = `/account/${props.slug}`;
  const { language } = props.page;
  return (
    <CustomerLayout {...props} title={t(language, 'account.password.title')}>
      <section>
        <h2>{t(language, 'account.password.title')}</h2>
        {props.done ? (
          <p class="ok" role="status">
            {t(language, 'account.password.done')}
          </p>
        ) : null}
        {props.error ? <p class="error">{props.error}</p> : null}
        <p class="note">{t(language, 'account.password.note')}</p>
        <form method="post" action={`${base}/password`}>
          <input type="hidden" name="_csrf" value={props.session?.csrfToken ?? ''} />
          <label>
            {t(language, 'account.password.currentLabel')}
            <input type="password" name="currentPassword" required autocomplete="current-password" />
          </label>
          <label>
            {t(language, 'account.password.newLabel', { min: PASSWORD_LENGTH_MIN, max: PASSWORD_LENGTH_MAX })}
            <input
              type="password"
              name="newPassword"
              required
              minlength={PASSWORD_LENGTH_MIN}
              maxlength={PASSWORD_LENGTH_MAX}
              autocomplete="new-password"
            />
          </label>
          <label>
            {t(language, 'account.password.againLabel')}
            <input type="password" name="confirmPassword" required autocomplete="new-password" />
          </label>
          <button type="submit">{t(language, 'account.password.title')}</button>
        </form>
      </section>
    </CustomerLayout>
  );
}

const passwordFormSchema = z
  .object({
    currentPassword: z
      .string()
      .min(1)
      .max(PASSWORD_LENGTH_MAX * 2),
    newPassword: z
      .string()
      .min(PASSWORD_LENGTH_MIN, 'account.password.tooShort')
      .max(PASSWORD_LENGTH_MAX, 'account.password.tooLong'),
    confirmPassword: z.string().max(PASSWORD_LENGTH_MAX * 2),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    message: 'account.password.differ',
    path: ['confirmPassword'],
  });

async function planChoices(signed: SignedSubscriber): Promise<PlanChoice[]> {
  const page = await listPlans(
    signed.database,
    { kind: signed.profile.kind as 'pppoe' | 'static', isActive: true },
    { limit: PLANS_SHOWN_MAX, cursor: undefined },
  );
  return page.items
    .filter((plan) => plan.id !== signed.profile.planId)
    .map((plan) => ({
      id: plan.id,
      name: plan.name,
      priceCents: plan.priceCents,
      rateLimit: plan.rateLimit,
    }));
}

function textField(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value : '';
}

/** Adds /account/<slug>/plan and /password to the signed-in routes (the caller checked session and CSRF). */
export function mountAccountChanges(
  routes: Hono<{ Variables: { signed: SignedSubscriber } }>,
  dependencies: ApiDependencies,
  frame: (signed: SignedSubscriber, current: 'plan' | 'password') => PageFrame,
): void {
  const audit = (context: Context, signed: SignedSubscriber, action: string, detail: unknown) =>
    recordAuditAs(
      dependencies,
      context,
      { id: signed.profile.id, tenantId: signed.tenant.id },
      {
        action,
        target: signed.profile.id,
        detail,
      },
    );

  routes.get('/:slug/plan', async (context) => {
    const signed = context.get('signed');
    return context.html(
      <PlanPage {...frame(signed, 'plan')} profile={signed.profile} plans={await planChoices(signed)} />,
    );
  });

  routes.post('/:slug/plan', async (context) => {
    const signed = context.get('signed');
    const form = await context.req.parseBody();
    const plans = await planChoices(signed);
    const chosen = plans.find((plan) => plan.id === textField(form, 'planId'));
    if (!chosen) {
      return context.html(
        <PlanPage
          {...frame(signed, 'plan')}
          profile={signed.profile}
          plans={plans}
          error={t(signed.page.language, 'account.plan.choose')}
        />,
        400,
      );
    }
    try {
      await moveSubscriberToPlan(signed.database, signed.profile.id, chosen.id, dependencies.clock.now(), {
        aaa: dependencies.aaa,
        tenantId: signed.tenant.id,
        audit: (entry) => audit(context, signed, `self_service.${entry.action}`, entry.detail),
      });
    } catch (error) {
      if (!(error instanceof KiungaError)) throw error;
      return context.html(
        <PlanPage {...frame(signed, 'plan')} profile={signed.profile} plans={plans} error={error.message} />,
        error.httpStatus as ContentfulStatusCode,
      );
    }
    return context.redirect(`/account/${signed.tenant.slug}?changed=plan`, 303);
  });

  routes.get('/:slug/password', (context) =>
    context.html(
      <PasswordPage {...frame(context.get('signed'), 'password')} done={context.req.query('done') === '1'} />,
    ),
  );

  routes.post('/:slug/password', async (context) => {
    const signed = context.get('signed');
    const form = await context.req.parseBody();
    const { language } = signed.page;
    const show = (error: string, status: ContentfulStatusCode) =>
      context.html(<PasswordPage {...frame(signed, 'password')} error={error} />, status);
    /** The schema's messages are catalogue keys, said in the page's language. */
    const formMessages: Record<string, string> = {
      'account.password.tooShort': t(language, 'account.password.tooShort', { min: PASSWORD_LENGTH_MIN }),
      'account.password.tooLong': t(language, 'account.password.tooLong', { max: PASSWORD_LENGTH_MAX }),
      'account.password.differ': t(language, 'account.password.differ'),
    };
    const parsed = passwordFormSchema.safeParse({
      currentPassword: textField(form, 'currentPassword'),
      newPassword: textField(form, 'newPassword'),
      confirmPassword: textField(form, 'confirmPassword'),
    });
    if (!parsed.success) {
      const key = parsed.error.issues[0]?.message ?? '';
      return show(formMessages[key] ?? t(language, 'account.password.checkForm'), 400);
    }
    // The current password is guessed no faster here than at sign-in: the same limits, per account.
    const throttle = customerSignInThrottle(dependencies);
    const nowMs = dependencies.clock.now();
    const accountKey = `${signed.tenant.id}:${signed.profile.id}`;
    const address = sourceAddressOf(context, dependencies) ?? 'unknown';
    if (await throttle.check(accountKey, address, nowMs))
      return show(t(language, 'account.password.tooMany'), 429);
    const isCurrent = await authenticateSubscriber(
      signed.database,
      dependencies.secretBox,
      signed.profile.id,
      parsed.data.currentPassword,
    );
    if (!isCurrent) {
      await throttle.recordFailure(accountKey, address, nowMs);
      return show(t(language, 'account.password.wrongCurrent'), 401);
    }
    await updateSubscriber(
      signed.database,
      dependencies.secretBox,
      signed.profile.id,
      { password: parsed.data.newPassword },
      nowMs,
      (entry) => audit(context, signed, 'self_service.password_change', entry.detail),
    );
    // Sessions that logged in with the old password end; the router asks again with the new one.
    await disconnectSubjectSessions(
      dependencies.aaa,
      signed.tenant.id,
      'subscriber',
      new Set([signed.profile.id]),
    );
    const changed = await authenticateSubscriber(
      signed.database,
      dependencies.secretBox,
      signed.profile.id,
      parsed.data.newPassword,
    );
    // This browser stays signed in (a new session on the new password); every other one is signed out.
    if (changed)
      startCustomerSession(dependencies, context, signed.tenant.slug, {
        tenantId: signed.tenant.id,
        subscriberId: signed.profile.id,
        passwordSealed: changed.passwordSealed,
      });
    return context.redirect(`/account/${signed.tenant.slug}/password?done=1`, 303);
  });
}
