// The one error a PayPal call throws, with PayPal's own error name and first detail issue when sent.

export type PayPalErrorKind = 'authentication' | 'http' | 'invalid_response' | 'timeout' | 'network';

/** Capture before the buyer approved: PayPal answers 422 with this issue. */
export const ORDER_NOT_APPROVED_ISSUE = 'ORDER_NOT_APPROVED';
/** Capture of an order already captured: 422 with this issue; read the order to learn its capture. */
export const ORDER_ALREADY_CAPTURED_ISSUE = 'ORDER_ALREADY_CAPTURED';

export class PayPalError extends Error {
  readonly kind: PayPalErrorKind;
  readonly path: string;
  readonly httpStatus: number | undefined;
  /** PayPal's `name`, e.g. UNPROCESSABLE_ENTITY, RESOURCE_NOT_FOUND, invalid_client. */
  readonly errorName: string | undefined;
  /** `details[0].issue`, e.g. ORDER_NOT_APPROVED. */
  readonly issue: string | undefined;
  readonly debugId: string | undefined;

  constructor(
    kind: PayPalErrorKind,
    path: string,
    message: string,
    details: {
      httpStatus?: number;
      errorName?: string;
      issue?: string;
      debugId?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PayPalError';
    this.kind = kind;
    this.path = path;
    this.httpStatus = details.httpStatus;
    this.errorName = details.errorName;
    this.issue = details.issue;
    this.debugId = details.debugId;
  }
}
