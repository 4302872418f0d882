// Error codes of the SMS campaign core: entries of the one catalogue (schemas/src/errors.ts).
import { errorCatalogue } from '@kiunga/schemas';
import type { RefusalEntry } from '../../shared/refusal';

export const smsCampaignErrorCatalogue = {
  template_invalid: errorCatalogue.template_invalid,
  campaign_not_startable: errorCatalogue.campaign_not_startable,
  feature_not_in_tier: errorCatalogue.feature_not_in_tier,
} as const satisfies Record<string, RefusalEntry>;

export type SmsCampaignErrorCode = keyof typeof smsCampaignErrorCatalogue;
