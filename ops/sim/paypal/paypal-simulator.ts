// A PayPal REST simulator for tests and the demo: OAuth2 client credentials and Orders v2 (create, get,
// approve through the payer-action link, capture), on loopback, speaking PayPal's documented shapes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenHttp } from '../run';

export const TOKEN_LIFETIME_SECONDS_DEFAULT = 32_400;
/** Order requests are small; larger bodies are refused unread. */
export const REQUEST_BODY_BYTES_MAX = 64 * 1024;
/** Orders kept in memory; a test creates a handful. */
export const ORDERS_MAX = 10_000;
/** PayPal settles in these (a subset of its list); KES is not one, which is why the platform converts. */
const SUPPORTED_CURRENCIES = new Set(['USD', 'EUR', 'GBP']);

export interface PayPalSimulatorOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly clients: ReadonlyArray<{ clientId: string; clientSecret: string }>;
  readonly tokenLifetimeSeconds?: number;
}

export interface SimulatedOrder {
  id: string;
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  requestId: string | null;
  purchaseUnit: {
    reference_id?: string;
    custom_id?: string;
    description?: string;
    amount: { currency_code: string; value: string };
  };
  returnUrl: string | null;
  cancelUrl: string | null;
  payerId: string | null;
  capture: { id: string; create_time: string } | null;
  captureRequestId: string | null;
  createTime: string;
}

export interface PayPalSimulator {
  readonly baseUrl: string;
  readonly port: number;
  /** The buyer approves the order (what following the payer-action link does). */
  approve(orderId: string): SimulatedOrder;
  orders(): SimulatedOrder[];
  stop(): Promise<void>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

function error(status: number, name: string, message: string, issue?: string): Reply {
  return {
    status,
    body: {
      name,
      message,
      debug_id: randomBytes(6).toString('hex'),
      ...(issue ? { details: [{ issue, description: message }] } : {}),
      links: issue
        ? [
            {
              href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${issue}`,
              rel: 'information_link',
              method: 'GET',
            },
          ]
        : [],
    },
  };
}

const UNPROCESSABLE =
  'The requested action could not be performed, semantically incorrect, or failed business validation.';

function paypalId(length: number): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

export async function startPayPalSimulator(options: PayPalSimulatorOptions): Promise<PayPalSimulator> {
  const tokens = new Set<string>();
  const orders = new Map<string, SimulatedOrder>();
  const ordersByRequestId = new Map<string, string>();
  let baseUrl = '';

  const representation = (order: SimulatedOrder) => ({
    id: order.id,
    intent: 'CAPTURE',
    status: order.status,
    create_time: order.createTime,
    purchase_units: [
      {
        ...order.purchaseUnit,
        ...(order.capture
          ? {
              payments: {
                captures: [
                  {
                    id: order.capture.id,
                    status: 'COMPLETED',
                    amount: order.purchaseUnit.amount,
                    final_capture: true,
                    ...(order.purchaseUnit.custom_id ? { custom_id: order.purchaseUnit.custom_id } : {}),
                    create_time: order.capture.create_time,
                  },
                ],
              },
            }
          : {}),
      },
    ],
    ...(order.payerId ? { payer: { payer_id: order.payerId } } : {}),
    links: [
      { href: `${baseUrl}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
      ...(order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'CREATED'
        ? [
            {
              href: `${baseUrl}/checkoutnow?token=${order.id}`,
              rel: order.status === 'CREATED' ? 'approve' : 'payer-action',
              method: 'GET',
            },
          ]
        : []),
      ...(order.status !== 'COMPLETED'
        ? [{ href: `${baseUrl}/v2/checkout/orders/${order.id}/capture`, rel: 'capture', method: 'POST' }]
        : []),
    ],
  });

  const approve = (orderId: string): SimulatedOrder => {
    const order = orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
      order.status = 'APPROVED';
      order.payerId = paypalId(13);
    }
    return order;
  };

  const isAuthorised = (request: IncomingMessage) => {
    const header = request.headers.authorization ?? '';
    return header.startsWith('Bearer ') && tokens.has(header.slice(7));
  };

  const issueToken = (request: IncomingMessage, body: string): Reply => {
    const header = request.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString() : '';
    const isKnown = options.clients.some((client) => `${client.clientId}:${client.clientSecret}` === decoded);
    if (!isKnown)
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
      };
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials')
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' },
      };
    const token = `A21AA${randomBytes(24).toString('base64url')}`;
    tokens.add(token);
    return {
      status: 200,
      body: {
        scope: 'https://uri.paypal.com/services/payments/payment',
        access_token: token,
        token_type: 'Bearer',
        app_id: 'APP-80W284485P519543T',
        expires_in: options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS_DEFAULT,
        nonce: `${new Date().toISOString()}${randomBytes(8).toString('hex')}`,
      },
    };
  };

  const createOrder = (request: IncomingMessage, body: unknown): Reply => {
    const requestId = headerValue(request, 'paypal-request-id');
    const existingId = requestId ? ordersByRequestId.get(requestId) : undefined;
    const existing = existingId ? orders.get(existingId) : undefined;
    if (existing) return { status: 200, body: representation(existing) };
    const input = body as {
      intent?: unknown;
      purchase_units?: Array<{
        reference_id?: string;
        custom_id?: string;
        description?: string;
        amount?: { currency_code?: unknown; value?: unknown };
      }>;
      payment_source?: { paypal?: { experience_context?: { return_url?: string; cancel_url?: string } } };
      application_context?: { return_url?: string; cancel_url?: string };
    } | null;
    if (input?.intent !== 'CAPTURE' && input?.intent !== 'AUTHORIZE')
      return error(
        400,
        'INVALID_REQUEST',
        'Request is not well-formed, syntactically incorrect, or violates schema.',
        'MISSING_REQUIRED_PARAMETER',
      );
    const unit = input.purchase_units?.[0];
    const currency = unit?.amount?.currency_code;
    const value = unit?.amount?.value;
    if (
      !unit ||
      typeof currency !== 'string' ||
      typeof value !== 'string' ||
      !/^\d{1,10}(\.\d{2})?$/.test(value)
    )
      return error(
        400,
        'INVALID_REQUEST',
        'Request is not well-formed, syntactically incorrect, or violates schema.',
        'INVALID_PARAMETER_VALUE',
      );
    if (!SUPPORTED_CURRENCIES.has(currency))
      return error(422, 'UNPROCESSABLE_ENTITY', UNPROCESSABLE, 'CURRENCY_NOT_SUPPORTED');
    if (orders.size >= ORDERS_MAX) return error(503, 'SERVICE_UNAVAILABLE', 'Simulator order store is full.');
    const context = input.payment_source?.paypal?.experience_context ?? input.application_context;
    const order: SimulatedOrder = {
      id: paypalId(17),
      status: input.payment_source?.paypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      requestId: requestId ?? null,
      purchaseUnit: {
        ...(unit.reference_id ? { reference_id: unit.reference_id } : { reference_id: 'default' }),
        ...(unit.custom_id ? { custom_id: unit.custom_id } : {}),
        ...(unit.description ? { description: unit.description } : {}),
        amount: { currency_code: currency, value },
      },
      returnUrl: context?.return_url ?? null,
      cancelUrl: context?.cancel_url ?? null,
      payerId: null,
      capture: null,
      captureRequestId: null,
      createTime: new Date().toISOString(),
    };
    orders.set(order.id, order);
    if (requestId) ordersByRequestId.set(requestId, order.id);
    return { status: 201, body: representation(order) };
  };

  const capture = (request: IncomingMessage, orderId: string): Reply => {
    const order = orders.get(orderId);
    if (!order)
      return error(
        404,
        'RESOURCE_NOT_FOUND',
        'The specified resource does not exist.',
        'INVALID_RESOURCE_ID',
      );
    const requestId = headerValue(request, 'paypal-request-id');
    if (order.status === 'COMPLETED') {
      if (requestId && requestId === order.captureRequestId)
        return { status: 201, body: representation(order) };
      return error(422, 'UNPROCESSABLE_ENTITY', UNPROCESSABLE, 'ORDER_ALREADY_CAPTURED');
    }
    if (order.status !== 'APPROVED')
      return error(422, 'UNPROCESSABLE_ENTITY', UNPROCESSABLE, 'ORDER_NOT_APPROVED');
    order.status = 'COMPLETED';
    order.capture = { id: paypalId(17), create_time: new Date().toISOString() };
    order.captureRequestId = requestId ?? null;
    return { status: 201, body: representation(order) };
  };

  const route = async (request: IncomingMessage, url: URL, body: string): Promise<Reply> => {
    const path = url.pathname;
    if (request.method === 'POST' && path === '/v1/oauth2/token') return issueToken(request, body);
    if (request.method === 'GET' && path === '/checkoutnow') {
      const order = orders.get(url.searchParams.get('token') ?? '');
      if (!order) return { status: 404, body: 'No such order' };
      approve(order.id);
      if (!order.returnUrl) return { status: 200, body: 'Approved' };
      const target = new URL(order.returnUrl);
      target.searchParams.set('token', order.id);
      target.searchParams.set('PayerID', order.payerId ?? '');
      return { status: 302, body: '', headers: { location: target.toString() } };
    }
    const control = /^\/__sim\/orders\/([A-Z0-9]+)\/approve$/.exec(path);
    if (request.method === 'POST' && control) {
      if (!orders.has(control[1] ?? '')) return error(404, 'RESOURCE_NOT_FOUND', 'No such order.');
      return { status: 200, body: representation(approve(control[1] ?? '')) };
    }
    if (request.method === 'GET' && path === '/__sim/state')
      return { status: 200, body: { orders: [...orders.values()] } };
    if (request.method === 'POST' && path === '/__sim/reset') {
      orders.clear();
      ordersByRequestId.clear();
      tokens.clear();
      return { status: 200, body: { ok: true } };
    }
    if (!path.startsWith('/v2/checkout/orders'))
      return error(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.');
    if (!isAuthorised(request))
      return error(
        401,
        'AUTHENTICATION_FAILURE',
        'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
      );
    if (request.method === 'POST' && path === '/v2/checkout/orders')
      return createOrder(request, parseJson(body));
    const orderMatch = /^\/v2\/checkout\/orders\/([^/]+)(\/capture)?$/.exec(path);
    const orderId = orderMatch?.[1] ?? '';
    if (orderMatch && request.method === 'POST' && orderMatch[2]) return capture(request, orderId);
    if (orderMatch && request.method === 'GET' && !orderMatch[2]) {
      const order = orders.get(orderId);
      if (!order)
        return error(
          404,
          'RESOURCE_NOT_FOUND',
          'The specified resource does not exist.',
          'INVALID_RESOURCE_ID',
        );
      return { status: 200, body: representation(order) };
    }
    return error(404, 'RESOURCE_NOT_FOUND', 'The specified resource does not exist.');
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= REQUEST_BODY_BYTES_MAX) chunks.push(chunk);
    });
    request.on('end', () => {
      const reply =
        size > REQUEST_BODY_BYTES_MAX
          ? Promise.resolve(error(413, 'INVALID_REQUEST', 'Request body too large.'))
          : route(request, new URL(request.url ?? '/', 'http://localhost'), Buffer.concat(chunks).toString());
      void reply.then((answer) => {
        const isText = typeof answer.body === 'string';
        response.writeHead(answer.status, {
          'content-type': isText ? 'text/plain' : 'application/json',
          'paypal-debug-id': randomBytes(6).toString('hex'),
          ...answer.headers,
        });
        response.end(isText ? (answer.body as string) : JSON.stringify(answer.body));
      });
    });
  });
  const port = await listenHttp(server, options.host ?? '127.0.0.1', options.port);
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    baseUrl,
    port,
    approve,
    orders: () => [...orders.values()],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
