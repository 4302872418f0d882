// The one error sending an email throws.

export type EmailErrorKind =
  /** Our message or configuration broke a rule; nothing was sent. */
  | 'invalid_request'
  /** The SMTP server refused the username / password (535 and friends). */
  | 'authentication'
  /** The server refused the sender or every recipient, or the message itself. */
  | 'rejected'
  /** No connection, TLS failure or the connection dropped. */
  | 'connection'
  /** The server did not answer in time. */
  | 'timeout';

export interface EmailErrorDetails {
  /** The SMTP reply code (421, 535, 550…), when the server gave one. */
  readonly responseCode?: number;
  readonly cause?: unknown;
}

export class EmailError extends Error {
  readonly kind: EmailErrorKind;
  readonly responseCode: number | undefined;

  constructor(kind: EmailErrorKind, message: string, details: EmailErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EmailError';
    this.kind = kind;
    this.responseCode = details.responseCode;
  }

  /** Whether sending later may work: no connection, a timeout, or a 4xx (transient) SMTP reply. */
  get isRetryable(): boolean {
    return (
      this.kind === 'connection' ||
      this.kind === 'timeout' ||
      (this.responseCode !== undefined && this.responseCode >= 400 && this.responseCode < 500)
    );
  }
}
