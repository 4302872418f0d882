// What the simulated gateway does with a number: deliver it, refuse it for good, or fail for now.

export interface SmsBehaviour {
  /** Per-recipient statusCode and status word, as Africa's Talking answers them; null for `server_error`. */
  readonly statusCode: number | null;
  readonly status: string;
}

export const SMS_BEHAVIOURS = {
  success: { statusCode: 101, status: 'Success' },
  invalid_number: { statusCode: 403, status: 'InvalidPhoneNumber' },
  blacklisted: { statusCode: 406, status: 'UserInBlacklist' },
  insufficient_balance: { statusCode: 405, status: 'InsufficientBalance' },
  gateway_error: { statusCode: 501, status: 'GatewayError' },
  /** The whole request answers HTTP 500 (a transient outage), with nothing recorded as sent. */
  server_error: { statusCode: null, status: 'Internal Server Error' },
} as const satisfies Record<string, SmsBehaviour>;

export type SmsBehaviourName = keyof typeof SMS_BEHAVIOURS;
export const SMS_BEHAVIOUR_NAMES = Object.keys(SMS_BEHAVIOURS) as SmsBehaviourName[];

export function isSmsBehaviourName(value: string): value is SmsBehaviourName {
  return Object.hasOwn(SMS_BEHAVIOURS, value);
}

/**
 * Numbers whose outcome is fixed, so a manual or browser test can pick one by typing a number (listed in
 * README.md). Any other well-formed number is delivered unless a behaviour was set for it.
 */
export const MAGIC_NUMBER_BEHAVIOURS: Readonly<Record<string, SmsBehaviourName>> = {
  '+254700000403': 'invalid_number',
  '+254700000406': 'blacklisted',
  '+254700000405': 'insufficient_balance',
  '+254700000501': 'gateway_error',
  '+254700000500': 'server_error',
};
