// Africa's Talking per-recipient statusCode values, and what each means for a message we keep.

/** As documented for POST /version1/messaging answers (`SMSMessageData.Recipients[].statusCode`). */
export const SmsStatusCode = {
  Processed: 100,
  Sent: 101,
  Queued: 102,
  RiskHold: 401,
  InvalidSenderId: 402,
  InvalidPhoneNumber: 403,
  UnsupportedNumberType: 404,
  InsufficientBalance: 405,
  UserInBlacklist: 406,
  CouldNotRoute: 407,
  DoNotDisturbRejection: 409,
  InternalServerError: 500,
  GatewayError: 501,
  RejectedByGateway: 502,
} as const;

/** sent: the gateway took it; failed: sending it again cannot help; retryable: try later. */
export type SmsRecipientOutcome = 'sent' | 'failed' | 'retryable';

const SENT_CODES: ReadonlySet<number> = new Set([
  SmsStatusCode.Processed,
  SmsStatusCode.Sent,
  SmsStatusCode.Queued,
]);

/** About this number or this sender id: the same request fails the same way every time. */
const PERMANENT_CODES: ReadonlySet<number> = new Set([
  SmsStatusCode.InvalidSenderId,
  SmsStatusCode.InvalidPhoneNumber,
  SmsStatusCode.UnsupportedNumberType,
  SmsStatusCode.UserInBlacklist,
  SmsStatusCode.CouldNotRoute,
  SmsStatusCode.DoNotDisturbRejection,
]);

/**
 * Insufficient balance and risk hold are about the ISP's gateway account, which its owner can fix
 * (top up, talk to the gateway), so they are retried like gateway errors; unknown codes are retried too,
 * within the attempt limit, rather than dropping a message on a code we have not seen.
 */
export function classifySmsStatus(statusCode: number): SmsRecipientOutcome {
  if (SENT_CODES.has(statusCode)) return 'sent';
  if (PERMANENT_CODES.has(statusCode)) return 'failed';
  return 'retryable';
}

/** The outcome of a status word alone (a request-level `Message` such as "InvalidSenderId" with no recipients). */
export function classifySmsStatusName(name: string): SmsRecipientOutcome {
  const entry = Object.entries(SmsStatusCode).find(
    ([key]) => key.toLowerCase() === name.trim().toLowerCase(),
  );
  return entry === undefined ? 'retryable' : classifySmsStatus(entry[1]);
}
