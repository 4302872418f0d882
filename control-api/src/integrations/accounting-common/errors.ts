// The one error a QuickBooks Online or Xero call throws, classified so a sync knows what to do next:
// fix the data (validation), reconnect (authentication), wait (throttled), or try again later (server).

export type AccountingProvider = 'quickbooks' | 'xero';

export type AccountingErrorKind =
  /** The vendor refused the data (a required field, an unknown customer, an amount over what is owed). */
  | 'validation'
  /** The access token was refused, or the refresh token is no longer valid: the ISP must reconnect. */
  | 'authentication'
  /** The connected user may not do this (role, subscription lapsed); reconnecting as someone else may help. */
  | 'forbidden'
  /** A record we named (an invoice id) does not exist at the vendor. */
  | 'not_found'
  /** HTTP 429: wait `retryAfterSeconds` (when the vendor said) and try again. */
  | 'throttled'
  /** HTTP 5xx: the vendor failed; the same request may succeed later. */
  | 'server'
  /** A 2xx body that is not the documented shape. */
  | 'invalid_response'
  /** No answer within the timeout: the request may or may not have been applied (the request id makes a retry safe). */
  | 'timeout'
  /** The connection failed before an answer. */
  | 'network';

export interface VendorErrorItem {
  /** QuickBooks `Error[].code` ("6240"); Xero has none per message, so its ErrorNumber. */
  readonly code: string | null;
  readonly message: string;
  /** QuickBooks `Error[].Detail`; the field name Xero's message is about is not given separately. */
  readonly detail: string | null;
  /** QuickBooks `Error[].element` (the field), when named. */
  readonly element: string | null;
}

export interface AccountingErrorDetails {
  readonly httpStatus?: number | undefined;
  /** QuickBooks Fault.type (ValidationFault, AuthenticationFault, …) or Xero's Type (ValidationException). */
  readonly vendorType?: string | undefined;
  readonly items?: readonly VendorErrorItem[] | undefined;
  /** From the Retry-After header of a 429. */
  readonly retryAfterSeconds?: number | undefined;
  /** OAuth `error` (invalid_grant, invalid_client). */
  readonly oauthError?: string | undefined;
  readonly cause?: unknown;
}

export class AccountingApiError extends Error {
  readonly provider: AccountingProvider;
  readonly kind: AccountingErrorKind;
  readonly path: string;
  readonly httpStatus: number | undefined;
  readonly vendorType: string | undefined;
  readonly items: readonly VendorErrorItem[];
  readonly retryAfterSeconds: number | undefined;
  readonly oauthError: string | undefined;

  constructor(
    provider: AccountingProvider,
    kind: AccountingErrorKind,
    path: string,
    message: string,
    details: AccountingErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AccountingApiError';
    this.provider = provider;
    this.kind = kind;
    this.path = path;
    this.httpStatus = details.httpStatus;
    this.vendorType = details.vendorType;
    this.items = details.items ?? [];
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.oauthError = details.oauthError;
  }

  /** True when only a new authorization by the ISP can fix it (no retry will). */
  get isReconnectNeeded(): boolean {
    return this.kind === 'authentication';
  }

  /** True when the same request may succeed later without any change. */
  get isRetryable(): boolean {
    return (
      this.kind === 'throttled' ||
      this.kind === 'server' ||
      this.kind === 'timeout' ||
      this.kind === 'network'
    );
  }
}

/** The kind an HTTP status means when the body says nothing more specific. */
export function errorKindOfStatus(status: number): AccountingErrorKind {
  if (status === 401) return 'authentication';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  return 'validation';
}
