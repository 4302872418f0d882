// A thin typed client of PayPal's REST API: OAuth2 client credentials and Orders v2 (create, get, capture).
// Four calls do not justify PayPal's server SDK (a large generated package); this file is the whole client.
import type { Clock } from '@kiunga/schemas';
import type { z } from 'zod';
import { type JsonEndpoint, type JsonResponse, jsonEndpoint } from '../http-json';
import { formatPayPalValue } from './currency';
import { PayPalError } from './errors';
import {
  errorBodySchema,
  orderSchema,
  type PayPalCapture,
  type PayPalOrder,
  tokenResponseSchema,
} from './schemas';

/** Renew a token this long before PayPal says it expires. */
export const TOKEN_EXPIRY_MARGIN_MS = 60_000;
/** PayPal's order answers are a few KB. */
const RESPONSE_BODY_CHARS_MAX = 256 * 1024;

export const PayPalPath = {
  oauth: '/v1/oauth2/token',
  orders: '/v2/checkout/orders',
  order: (id: string) => `/v2/checkout/orders/${encodeURIComponent(id)}`,
  capture: (id: string) => `/v2/checkout/orders/${encodeURIComponent(id)}/capture`,
} as const;

export interface PayPalClientOptions {
  /** `KIUNGA_PAYPAL_BASE_URL`: https://api-m.paypal.com, the sandbox, or the simulator. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

export interface CreateOrderInput {
  /** PayPal-Request-Id: the same id returns the same order instead of a second one. */
  readonly requestId: string;
  readonly currencyCode: string;
  /** Minor units (cents) of `currencyCode`. */
  readonly amountMinor: number;
  readonly referenceId: string;
  readonly customId: string;
  readonly description: string;
  readonly returnUrl: string;
  readonly cancelUrl: string;
}

export class PayPalClient {
  private readonly send: JsonEndpoint;
  private readonly basicAuthorization: string;
  private readonly clock: Clock;
  private cachedToken: { value: string; expiresAtMs: number } | null = null;

  constructor(options: PayPalClientOptions) {
    this.send = jsonEndpoint({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: RESPONSE_BODY_CHARS_MAX,
      providerName: 'PayPal',
      fail: (kind, message, details, path) => new PayPalError(kind, path, message, details),
    });
    if (options.clientId === '' || options.clientSecret === '')
      throw new RangeError('clientId and clientSecret are required');
    this.basicAuthorization = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
    this.clock = options.clock;
  }

  /** POST /v2/checkout/orders with intent CAPTURE; the buyer approves at `approveUrlOf(order)`. */
  createOrder(input: CreateOrderInput): Promise<PayPalOrder> {
    const body = {
      intent: 'CAPTURE',
      purchase_units: [
        {
          reference_id: input.referenceId,
          custom_id: input.customId,
          description: input.description,
          amount: { currency_code: input.currencyCode, value: formatPayPalValue(input.amountMinor) },
        },
      ],
      payment_source: {
        paypal: {
          experience_context: {
            user_action: 'PAY_NOW',
            return_url: input.returnUrl,
            cancel_url: input.cancelUrl,
          },
        },
      },
    };
    return this.call('POST', PayPalPath.orders, body, input.requestId);
  }

  getOrder(orderId: string): Promise<PayPalOrder> {
    return this.call('GET', PayPalPath.order(orderId), undefined, undefined);
  }

  /** POST …/capture; throws PayPalError with issue ORDER_NOT_APPROVED before approval. */
  captureOrder(orderId: string, requestId: string): Promise<PayPalOrder> {
    return this.call('POST', PayPalPath.capture(orderId), {}, requestId);
  }

  async accessToken(): Promise<string> {
    const cached = this.cachedToken;
    if (cached !== null && this.clock.now() < cached.expiresAtMs) return cached.value;
    const path = PayPalPath.oauth;
    const response = await this.send(
      'POST',
      path,
      {
        Authorization: this.basicAuthorization,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    if (response.status !== 200) throw this.errorFrom('authentication', path, response);
    const parsed = tokenResponseSchema.safeParse(response.body);
    if (!parsed.success)
      throw new PayPalError('invalid_response', path, 'OAuth answer is not {access_token, expires_in}');
    const lifetimeMs = parsed.data.expires_in * 1000;
    const usableMs =
      lifetimeMs > 2 * TOKEN_EXPIRY_MARGIN_MS ? lifetimeMs - TOKEN_EXPIRY_MARGIN_MS : lifetimeMs / 2;
    this.cachedToken = { value: parsed.data.access_token, expiresAtMs: this.clock.now() + usableMs };
    return parsed.data.access_token;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    payload: unknown,
    requestId: string | undefined,
  ): Promise<PayPalOrder> {
    const attempt = async () => {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${await this.accessToken()}`,
        Prefer: 'return=representation',
      };
      if (payload !== undefined) headers['Content-Type'] = 'application/json';
      if (requestId !== undefined) headers['PayPal-Request-Id'] = requestId;
      return this.send(method, path, headers, payload === undefined ? undefined : JSON.stringify(payload));
    };
    let response = await attempt();
    if (response.status === 401) {
      // An expired or revoked token: fetch a new one once.
      this.cachedToken = null;
      response = await attempt();
    }
    if (response.status < 200 || response.status > 299) throw this.errorFrom('http', path, response);
    return parseOrThrow(orderSchema, path, response);
  }

  private errorFrom(kind: 'authentication' | 'http', path: string, response: JsonResponse): PayPalError {
    const parsed = errorBodySchema.safeParse(response.body);
    const body = parsed.success ? parsed.data : {};
    const issue = body.details?.[0]?.issue;
    const name = body.name ?? body.error;
    const message = body.message ?? body.error_description ?? `PayPal answered HTTP ${response.status}`;
    return new PayPalError(kind, path, `${message}${issue ? ` (${issue})` : ''}`, {
      httpStatus: response.status,
      ...(name === undefined ? {} : { errorName: name }),
      ...(issue === undefined ? {} : { issue }),
      ...(body.debug_id === undefined ? {} : { debugId: body.debug_id }),
    });
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, path: string, response: JsonResponse): T {
  const parsed = schema.safeParse(response.body);
  if (!parsed.success) {
    throw new PayPalError('invalid_response', path, 'PayPal answer does not match the documented shape', {
      httpStatus: response.status,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Where the buyer approves: the `payer-action` link (payment_source flow) or `approve` (classic). */
export function approveUrlOf(order: PayPalOrder): string | null {
  const link = order.links?.find(
    (candidate) => candidate.rel === 'payer-action' || candidate.rel === 'approve',
  );
  return link?.href ?? null;
}

/** The completed capture of a captured order, if any. */
export function completedCaptureOf(order: PayPalOrder): PayPalCapture | null {
  for (const unit of order.purchase_units ?? []) {
    const capture = unit.payments?.captures?.find((candidate) => candidate.status === 'COMPLETED');
    if (capture) return capture;
  }
  return null;
}
