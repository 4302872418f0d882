// The one error a GenieACS NBI call throws when it got no usable answer.

export type GenieAcsErrorKind =
  /** Our input broke a rule GenieACS would refuse (bad path, empty task); nothing was sent. */
  | 'invalid_request'
  /** GenieACS answered 404: no such device, task, preset or fault. */
  | 'not_found'
  /** The proxy in front of the NBI refused the username / password (HTTP 401 or 403). */
  | 'authentication'
  /** Any other non-2xx answer; `httpStatus` says which (503: the device is in a session). */
  | 'http'
  /** A 2xx answer that is not the documented shape, or larger than the client reads. */
  | 'invalid_response'
  /** No answer within the time allowed: a task may still have been queued. */
  | 'timeout'
  /** The connection failed before an answer. */
  | 'network';

export interface GenieAcsErrorDetails {
  readonly httpStatus?: number;
  /** GenieACS's own words (it answers errors as plain text), cut short. */
  readonly acsMessage?: string;
  readonly cause?: unknown;
}

export class GenieAcsError extends Error {
  readonly kind: GenieAcsErrorKind;
  readonly httpStatus: number | undefined;
  readonly acsMessage: string | undefined;

  constructor(kind: GenieAcsErrorKind, message: string, details: GenieAcsErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'GenieAcsError';
    this.kind = kind;
    this.httpStatus = details.httpStatus;
    this.acsMessage = details.acsMessage;
  }

  /** Whether the same call later may succeed (GenieACS down or busy, the device in a session). */
  get isRetryable(): boolean {
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      (this.kind === 'http' && this.httpStatus !== undefined && this.httpStatus >= 500)
    );
  }
}
