// Tier feature flags: a Tier 1 ISP has Hotspot OR PPPoE/Static; Tier 2 and trials have everything.
import { KiungaError, type SqlDatabase } from '@kiunga/schemas';
import type { MiddlewareHandler } from 'hono';
import type { ApiDependencies, AppEnv } from '../dependencies';

export type Feature = 'hotspot' | 'pppoe' | 'sms';

export function tenantHasFeature(tier: string, featureChoice: string | null, feature: Feature): boolean {
  if (tier !== 'tier1') return true;
  if (feature === 'sms') return false;
  return featureChoice === feature;
}

/** What a tenant's tier gives it, read once; an unknown tenant has nothing. */
export async function tenantFeatures(
  platform: SqlDatabase,
  tenantId: string,
): Promise<(feature: Feature) => boolean> {
  const row = await platform.get<{ tier: string; featureChoice: string | null }>(
    'SELECT tier, feature_choice AS "featureChoice" FROM tenants WHERE id = ?',
    [tenantId],
  );
  return (feature) => (row ? tenantHasFeature(row.tier, row.featureChoice, feature) : false);
}

export function requireFeature(dependencies: ApiDependencies, feature: Feature): MiddlewareHandler<AppEnv> {
  return async (context, next) => {
    const tenantId = context.get('principal').tenantId;
    if (tenantId !== null) {
      const hasFeature = await tenantFeatures(dependencies.databases.platform, tenantId);
      // SMS to clients answers its own code (issue 13), naming Tier 2; the others keep `forbidden`.
      if (!hasFeature(feature) && feature === 'sms') throw new KiungaError('feature_not_in_tier');
      if (!hasFeature(feature)) {
        throw new KiungaError(
          'forbidden',
          `Your plan does not include ${feature}. Upgrade to Tier 2 to use it.`,
        );
      }
    }
    await next();
  };
}
