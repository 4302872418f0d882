// What the SMS client's answer or error means for the messages of one request: sent, not sent (and may
// be retried), or unknown. Only an outcome that proves nothing went out may lead to a second send.
import type { SendSmsResult } from '../../../integrations/sms/client';
import { SmsGatewayError } from '../../../integrations/sms/errors';
import type { RequestResult } from './campaign-run';

/**
 * Errors Node's fetch (undici) raises before a connection exists, so before any byte of the request left:
 * refused, no such host, DNS failing for now, no route, connect timeout.
 */
const BEFORE_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** fetch wraps the system error once or twice ("fetch failed" → cause → cause). */
const CAUSE_DEPTH_MAX = 4;

export function requestResultOfAnswer(result: SendSmsResult): RequestResult {
  return {
    kind: 'answered',
    recipients: result.recipients.map((recipient) => ({
      outcome: recipient.outcome,
      statusCode: recipient.statusCode,
      status: recipient.status,
      providerMessageId: recipient.messageId,
    })),
  };
}

function failedBeforeConnecting(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < CAUSE_DEPTH_MAX && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && BEFORE_CONNECTION_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** Anything but an SmsGatewayError is a bug in the caller and is thrown again. */
export function requestResultOfError(error: unknown): RequestResult {
  if (!(error instanceof SmsGatewayError)) throw error;
  const reason = error.message;
  switch (error.kind) {
    case 'invalid_request':
      return { kind: 'not_sent', reason, isRetryable: false };
    case 'authentication':
      return { kind: 'credentials_refused', reason };
    case 'http':
      // The gateway answered that it did not take the request: a busy or failing gateway may later.
      return { kind: 'not_sent', reason, isRetryable: error.isRetryable };
    case 'network':
      return failedBeforeConnecting(error.cause)
        ? { kind: 'not_sent', reason, isRetryable: true }
        : { kind: 'outcome_unknown', reason };
    case 'timeout':
    case 'invalid_response':
      return { kind: 'outcome_unknown', reason };
  }
}
