// A thin typed client of Safaricom's Daraja API: OAuth, STK push and query, C2B URL registration, transaction status.
//
// Why not `mpesa-node` (the design card's suggestion): its last line is 0.1.x, untyped, built on
// axios 0.18 (2018, with published advisories), has no injectable fetch, clock or timeout, and does not
// validate Daraja's answers. Four POSTs and one GET do not need a dependency; this file and requests.ts are the whole client.
import type { Clock } from '@kiunga/schemas';
import type { z } from 'zod';
import { type JsonEndpoint, type JsonResponse, jsonEndpoint } from '../http-json';
import { callbackUrlProblem, describeCallbackUrlProblem } from './callback-urls';
import {
  DarajaError,
  INVALID_ACCESS_TOKEN_ERROR_CODE,
  NO_API_PRODUCT_MATCH_ERROR_CODE,
  NO_API_PRODUCT_MATCH_PHRASE,
} from './errors';
import {
  type C2bRegisterInput,
  c2bRegisterBody,
  c2bRegisterPath,
  DarajaPath,
  type StkPushInput,
  type StkQueryInput,
  stkPushBody,
  stkQueryBody,
  type TransactionStatusInput,
  transactionStatusBody,
} from './requests';
import {
  type C2bRegisterResponse,
  c2bRegisterResponseSchema,
  errorBodySchema,
  type StkPushResponse,
  type StkQueryResponse,
  stkPushResponseSchema,
  stkQueryResponseSchema,
  type TransactionStatusResponse,
  tokenResponseSchema,
  transactionStatusResponseSchema,
} from './schemas';
import { darajaTimestamp } from './timestamp';

/** Renew a token this long before Daraja says it expires, so a request never leaves with a dying token. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** Daraja's answers are a few hundred bytes; anything far larger is not Daraja. */
const RESPONSE_BODY_CHARS_MAX = 64 * 1024;

export interface DarajaClientOptions {
  /** `KIUNGA_MPESA_BASE_URL`: Safaricom's host, or the simulator's. */
  readonly baseUrl: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly fetch?: typeof fetch;
  readonly clock: Clock;
  /** Per HTTP call, body included. */
  readonly timeoutMs: number;
}

interface CachedToken {
  readonly value: string;
  readonly expiresAtMs: number;
}

export class DarajaClient {
  private readonly send: JsonEndpoint;
  private readonly basicAuthorization: string;
  private readonly clock: Clock;
  private readonly baseUrl: string;
  private cachedToken: CachedToken | null = null;
  /** One token request shared by every call that needs a token while it is in flight. */
  private pendingToken: Promise<string> | null = null;

  constructor(options: DarajaClientOptions) {
    this.send = jsonEndpoint({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: RESPONSE_BODY_CHARS_MAX,
      providerName: 'Daraja',
      fail: (kind, message, details, path) => new DarajaError(kind, path, message, details),
    });
    if (options.consumerKey === '' || options.consumerSecret === '') {
      throw new RangeError('consumerKey and consumerSecret are required');
    }
    this.basicAuthorization = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;
    this.clock = options.clock;
    this.baseUrl = options.baseUrl;
  }

  /** Ask M-Pesa to prompt the customer's phone for their PIN; the result arrives later at `callbackUrl`. */
  async stkPush(input: StkPushInput): Promise<StkPushResponse> {
    const body = stkPushBody(input, darajaTimestamp(this.clock.now()));
    this.requireCallbackUrls(DarajaPath.stkPush, { CallBackURL: input.callbackUrl });
    const response = await this.call(DarajaPath.stkPush, stkPushResponseSchema, body);
    this.requireAccepted(DarajaPath.stkPush, response);
    return response;
  }

  /**
   * The state of an STK push. While the customer has not answered, Daraja answers with an error whose
   * `isTransactionInProgress` is true; poll again later.
   */
  async stkQuery(input: StkQueryInput): Promise<StkQueryResponse> {
    const body = stkQueryBody(input, darajaTimestamp(this.clock.now()));
    return this.call(DarajaPath.stkQuery, stkQueryResponseSchema, body);
  }

  /**
   * Register where M-Pesa posts C2B validations and confirmations for a paybill or till, on the C2B
   * product (v1 or v2) the app is subscribed to; the other one answers `product_not_subscribed`.
   */
  async registerC2bUrls(input: C2bRegisterInput): Promise<C2bRegisterResponse> {
    const path = c2bRegisterPath(input.apiVersion);
    const body = c2bRegisterBody(input);
    this.requireCallbackUrls(path, {
      ConfirmationURL: input.confirmationUrl,
      ValidationURL: input.validationUrl,
    });
    const response = await this.call(path, c2bRegisterResponseSchema, body);
    this.requireAccepted(path, response);
    return response;
  }

  /** Ask for the status of a transaction; the answer only acknowledges, the result goes to `resultUrl`. */
  async transactionStatus(input: TransactionStatusInput): Promise<TransactionStatusResponse> {
    const body = transactionStatusBody(input);
    this.requireCallbackUrls(DarajaPath.transactionStatus, {
      ResultURL: input.resultUrl,
      QueueTimeOutURL: input.queueTimeOutUrl,
    });
    const response = await this.call(DarajaPath.transactionStatus, transactionStatusResponseSchema, body);
    this.requireAccepted(DarajaPath.transactionStatus, response);
    return response;
  }

  /** A valid access token, from the cache while it has more than the margin left. */
  async accessToken(): Promise<string> {
    const cached = this.cachedToken;
    if (cached !== null && this.clock.now() < cached.expiresAtMs) return cached.value;
    if (this.pendingToken === null) {
      this.pendingToken = this.requestToken().finally(() => {
        this.pendingToken = null;
      });
    }
    return this.pendingToken;
  }

  private async requestToken(): Promise<string> {
    const path = DarajaPath.oauth;
    const response = await this.send('GET', path, { Authorization: this.basicAuthorization }, undefined);
    if (response.status < 200 || response.status > 299) {
      throw this.errorFromResponse('authentication', path, response, 'OAuth token request refused');
    }
    const parsed = tokenResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new DarajaError('invalid_response', path, 'OAuth answer is not {access_token, expires_in}', {
        httpStatus: response.status,
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    // A short-lived token is used for half its life rather than not at all.
    const usableMs =
      lifetimeMs > 2 * TOKEN_EXPIRY_MARGIN_MS ? lifetimeMs - TOKEN_EXPIRY_MARGIN_MS : lifetimeMs / 2;
    this.cachedToken = { value: parsed.data.access_token, expiresAtMs: this.clock.now() + usableMs };
    return parsed.data.access_token;
  }

  /** POST with a bearer token; a token Daraja refuses is renewed once and the request sent once more. */
  private async call<T>(path: string, schema: z.ZodType<T>, payload: Record<string, unknown>): Promise<T> {
    let token = await this.accessToken();
    let response = await this.postJson(path, token, payload);
    this.refuseProductMismatch(path, response);
    if (this.isTokenRefused(response)) {
      if (this.cachedToken?.value === token) this.cachedToken = null;
      token = await this.accessToken();
      response = await this.postJson(path, token, payload);
      if (this.isTokenRefused(response)) {
        throw this.errorFromResponse('authentication', path, response, 'Daraja refused a fresh access token');
      }
    }
    if (response.status < 200 || response.status > 299) {
      throw this.errorFromResponse('http', path, response, `Daraja answered HTTP ${response.status}`);
    }
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      throw new DarajaError('invalid_response', path, 'Daraja answer does not match the documented shape', {
        httpStatus: response.status,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private postJson(path: string, token: string, payload: Record<string, unknown>): Promise<JsonResponse> {
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    return this.send('POST', path, headers, JSON.stringify(payload));
  }

  /** Daraja's 401 for a path the app has no product for looks like a refused token; a new token cannot fix it. */
  private refuseProductMismatch(path: string, response: JsonResponse): void {
    if (response.status !== 401) return;
    const body = errorBodySchema.safeParse(response.body);
    const text = body.success ? (body.data.errorMessage ?? '') : String(response.body ?? '');
    const isProductMismatch =
      (body.success && body.data.errorCode === NO_API_PRODUCT_MATCH_ERROR_CODE) ||
      NO_API_PRODUCT_MATCH_PHRASE.test(text);
    if (!isProductMismatch) return;
    throw this.errorFromResponse(
      'product_not_subscribed',
      path,
      response,
      `The Daraja app is not subscribed to the API product of ${path}`,
    );
  }

  /** Refuses, before sending, a URL the Daraja at this base URL would refuse (callback-urls.ts). */
  private requireCallbackUrls(path: string, urls: Record<string, string>): void {
    for (const [field, url] of Object.entries(urls)) {
      const problem = callbackUrlProblem(url, this.baseUrl);
      if (problem !== null) {
        throw new DarajaError(
          'callback_url_refused',
          path,
          `${field}: ${describeCallbackUrlProblem(problem)}`,
        );
      }
    }
  }

  private isTokenRefused(response: JsonResponse): boolean {
    if (response.status === 401) return true;
    const body = errorBodySchema.safeParse(response.body);
    return body.success && body.data.errorCode === INVALID_ACCESS_TOKEN_ERROR_CODE;
  }

  private requireAccepted(
    path: string,
    response: { ResponseCode: string; ResponseDescription: string },
  ): void {
    if (response.ResponseCode !== '0') {
      throw new DarajaError(
        'rejected',
        path,
        `Daraja did not accept the request: ${response.ResponseDescription}`,
        {
          httpStatus: 200,
          errorCode: response.ResponseCode,
          errorMessage: response.ResponseDescription,
        },
      );
    }
  }

  private errorFromResponse(
    kind: 'authentication' | 'http' | 'product_not_subscribed',
    path: string,
    response: JsonResponse,
    message: string,
  ): DarajaError {
    const body = errorBodySchema.safeParse(response.body);
    const details = body.success ? body.data : {};
    const suffix = details.errorMessage === undefined ? '' : `: ${details.errorMessage}`;
    return new DarajaError(kind, path, `${message}${suffix}`, { httpStatus: response.status, ...details });
  }
}
