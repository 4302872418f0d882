// The one error an SMS gateway call throws when there is no per-recipient answer to read.

export type SmsGatewayErrorKind =
  /** Our input broke a limit (number format, message length, recipient count); nothing was sent. */
  | 'invalid_request'
  /** The gateway refused the username / API key (HTTP 401). */
  | 'authentication'
  /** A non-2xx answer other than 401; `httpStatus` says which. */
  | 'http'
  /** A 2xx answer that is not the documented shape. */
  | 'invalid_response'
  /** No answer within `timeoutMs`: the message may or may not have gone out. */
  | 'timeout'
  /** The connection failed before an answer. */
  | 'network';

export interface SmsGatewayErrorDetails {
  readonly httpStatus?: number;
  /** The gateway's own words (Africa's Talking answers errors as plain text). */
  readonly gatewayMessage?: string;
  readonly cause?: unknown;
}

export class SmsGatewayError extends Error {
  readonly kind: SmsGatewayErrorKind;
  readonly httpStatus: number | undefined;
  readonly gatewayMessage: string | undefined;

  constructor(kind: SmsGatewayErrorKind, message: string, details: SmsGatewayErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SmsGatewayError';
    this.kind = kind;
    this.httpStatus = details.httpStatus;
    this.gatewayMessage = details.gatewayMessage;
  }

  /** Whether sending the same message later may succeed. */
  get isRetryable(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      (this.kind === 'http' &&
        this.httpStatus !== undefined &&
        (this.httpStatus >= 500 || this.httpStatus === 429))
    );
  }
}
