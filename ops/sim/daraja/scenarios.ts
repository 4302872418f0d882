// What the simulated customer does with an STK prompt: pays, cancels, never answers, has no money, types a wrong PIN.

export interface StkScenario {
  /** The ResultCode Daraja sends in the callback and the query answer; null = no callback ever comes. */
  readonly resultCode: number | null;
  readonly resultDesc: string;
}

/** Result codes and descriptions as Daraja sends them. */
export const STK_SCENARIOS = {
  success: { resultCode: 0, resultDesc: 'The service request is processed successfully.' },
  cancelled: { resultCode: 1032, resultDesc: 'Request cancelled by user' },
  /** The other code Daraja sends for a prompt the customer dismissed. */
  dismissed: { resultCode: 1031, resultDesc: 'Request cancelled by user' },
  timeout: { resultCode: 1037, resultDesc: 'DS timeout user cannot be reached' },
  insufficient_funds: { resultCode: 1, resultDesc: 'The balance is insufficient for the transaction.' },
  wrong_pin: { resultCode: 2001, resultDesc: 'The initiator information is invalid.' },
  expired: { resultCode: 1019, resultDesc: 'Transaction has expired' },
  push_error: { resultCode: 1025, resultDesc: 'An error occurred while sending a push request' },
  subscriber_locked: {
    resultCode: 1001,
    resultDesc: 'Unable to lock subscriber, a transaction is already in process for the current subscriber',
  },
  /** The callback never arrives and a query keeps answering "being processed": for reconciliation tests. */
  no_callback: { resultCode: null, resultDesc: 'The transaction is being processed' },
} as const satisfies Record<string, StkScenario>;

export type StkScenarioName = keyof typeof STK_SCENARIOS;
export const STK_SCENARIO_NAMES = Object.keys(STK_SCENARIOS) as StkScenarioName[];

export function isStkScenarioName(value: string): value is StkScenarioName {
  return Object.hasOwn(STK_SCENARIOS, value);
}

/**
 * Test numbers whose outcome is fixed, so a browser test can pick an outcome by typing a number
 * (listed in README.md). Any other valid number pays, unless a scenario was set for it or as default.
 */
export const MAGIC_PHONE_SCENARIOS: Readonly<Record<string, StkScenarioName>> = {
  '254708374149': 'success', // Daraja's own sandbox test MSISDN
  '254700000000': 'success',
  '254700000001': 'cancelled',
  '254700000002': 'timeout',
  '254700000003': 'insufficient_funds',
  '254700000004': 'wrong_pin',
  '254700000005': 'expired',
  '254700000006': 'push_error',
  '254700000007': 'subscriber_locked',
  '254700000008': 'no_callback',
  '254700000009': 'dismissed',
};
