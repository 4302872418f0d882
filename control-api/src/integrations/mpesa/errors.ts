// The one error a Daraja call throws: what went wrong, and Daraja's own code and message when it sent one.

export type DarajaErrorKind =
  /** Our input broke a documented limit (amount, phone format, reference length); nothing was sent. */
  | 'invalid_request'
  /** The OAuth call failed, or a fresh token was refused again. */
  | 'authentication'
  /** Daraja answered with a non-2xx status; `errorCode`/`errorMessage` carry its body. */
  | 'http'
  /** Daraja answered 2xx but with a ResponseCode other than "0": the request was not accepted. */
  | 'rejected'
  /** A 2xx body that is not the documented shape. */
  | 'invalid_response'
  /** No answer within `timeoutMs`: the request may or may not have reached M-Pesa. */
  | 'timeout'
  /** The connection failed before an answer. */
  | 'network'
  /** A URL Daraja would post to breaks Safaricom's URL rules (http, local host, a filtered word); nothing was sent. */
  | 'callback_url_refused'
  /**
   * HTTP 401 "Invalid API call as no apiproduct match found": the app behind the consumer key is not
   * subscribed to the product of this path (C2B v1 versus v2). A new token does not help.
   */
  | 'product_not_subscribed';

/** Daraja's code for an STK query while the customer has not finished ("The transaction is being processed"). */
export const TRANSACTION_IN_PROGRESS_ERROR_CODE = '500.001.1001';
/** Daraja's code for an access token it does not (or no longer) accept. */
export const INVALID_ACCESS_TOKEN_ERROR_CODE = '404.001.03';
/**
 * Daraja's code for a call its gateway matched to no API product of the app: HTTP 401, errorMessage
 * "Error Occurred - Invalid Access Token - Invalid API call as no apiproduct match found" (seen for an
 * app subscribed to C2B v2 calling /mpesa/c2b/v1/registerurl and the other way round:
 * github.com/safaricom/mpesa-node-library/issues/56).
 */
export const NO_API_PRODUCT_MATCH_ERROR_CODE = '401.003.01';
/** The phrase of that answer, for gateways that send it under another code. */
export const NO_API_PRODUCT_MATCH_PHRASE = /no apiproduct match/i;
/**
 * C2B Register URL in production is a one-time call: a second one answers HTTP 500
 * "500.003.1001 Urls are already registered" (Daraja, Customer To Business, Error Codes).
 */
export const URLS_ALREADY_REGISTERED_ERROR_CODE = '500.003.1001';

export interface DarajaErrorDetails {
  readonly httpStatus?: number;
  /** Daraja's `errorCode` ("400.002.02"), or the `ResponseCode` of a rejected request. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestId?: string;
  readonly cause?: unknown;
}

export class DarajaError extends Error {
  readonly kind: DarajaErrorKind;
  /** The Daraja path called, such as `/mpesa/stkpush/v1/processrequest`. */
  readonly path: string;
  readonly httpStatus: number | undefined;
  readonly errorCode: string | undefined;
  readonly errorMessage: string | undefined;
  readonly requestId: string | undefined;

  constructor(kind: DarajaErrorKind, path: string, message: string, details: DarajaErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DarajaError';
    this.kind = kind;
    this.path = path;
    this.httpStatus = details.httpStatus;
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.requestId = details.requestId;
  }

  /**
   * An STK query for a payment the customer has not yet answered. Daraja reuses the code for other
   * failures ("Wrong credentials"), so the message decides.
   */
  get isTransactionInProgress(): boolean {
    return (
      this.errorCode === TRANSACTION_IN_PROGRESS_ERROR_CODE &&
      /being processed/i.test(this.errorMessage ?? '')
    );
  }

  /** C2B URLs were registered for the shortcode before; Safaricom must delete them before new ones register. */
  get isUrlsAlreadyRegistered(): boolean {
    return (
      this.errorCode === URLS_ALREADY_REGISTERED_ERROR_CODE &&
      /already registered/i.test(this.errorMessage ?? '')
    );
  }

  /** Whether sending the same request again later may succeed (the request itself was fine). */
  get isRetryable(): boolean {
    if (this.isUrlsAlreadyRegistered) return false;
    return (
      this.kind === 'timeout' ||
      this.kind === 'network' ||
      (this.kind === 'http' && this.httpStatus !== undefined && this.httpStatus >= 500)
    );
  }
}
