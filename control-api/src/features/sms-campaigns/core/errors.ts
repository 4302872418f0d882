// Error codes of the SMS campaign core, in the catalogue's shape: the integration adds them to schemas/src/errors.ts.
import type { RefusalEntry } from '../../shared/refusal';

export const smsCampaignErrorCatalogue = {
  template_invalid: {
    status: 400,
    message: 'The message template has a mistake: see the details and write variables as {{name}}.',
  },
  campaign_not_startable: { status: 409, message: 'This campaign has already started or ended.' },
  feature_not_in_tier: {
    status: 403,
    message: 'SMS to clients is part of Tier 2. Upgrade your Kiunga plan to send messages.',
  },
} as const satisfies Record<string, RefusalEntry>;

export type SmsCampaignErrorCode = keyof typeof smsCampaignErrorCatalogue;
