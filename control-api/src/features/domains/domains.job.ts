// The daily, leased re-check of verified custom domains: a domain whose TXT record is gone three checks
// in a row stops being served; its ISP is told (a console notice, and an email to the owner when email is on).
import type { ApiDependencies } from '../../kernel/dependencies';
import { addNotice, auditSystem } from '../../platform-billing/accounts';
import { queueEmail } from '../email/outbox';
import { ownerEmailOf } from '../email/owner-alerts';
import { type RecheckResult, recheckVerifiedDomains } from './service';

/** Daily at 04:23 (UTC): off the hour, away from billing's night run. */
export const DOMAIN_RECHECK_CRON = '23 4 * * *';

export function recheckCustomDomains(dependencies: ApiDependencies): Promise<RecheckResult> {
  const platform = dependencies.databases.platform;
  return recheckVerifiedDomains(dependencies, async (tenantId, domain) => {
    const nowMs = dependencies.clock.now();
    const message = `Your domain ${domain} is no longer served by Kiunga: its _kiunga-verify TXT record was not found three days in a row. Publish it again and press Verify under Domain.`;
    await auditSystem(platform, nowMs, { tenantId, action: 'domain.unverified', target: domain });
    await addNotice(platform, tenantId, { kind: 'domain_unverified', message }, nowMs);
    const to = await ownerEmailOf(platform, tenantId);
    if (dependencies.email && to !== null)
      await queueEmail(
        platform,
        dependencies.secretBox,
        'domain_unverified',
        { to, subject: `Kiunga: ${domain} is no longer verified`, text: message },
        nowMs,
      );
  });
}
