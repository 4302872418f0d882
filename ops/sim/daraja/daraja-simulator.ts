// A Daraja (M-Pesa) simulator for tests and the demo: OAuth, STK push with scenario-driven callbacks, STK query,
// C2B URL registration and payments, transaction status; on loopback, speaking Daraja's documented wire format.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenHttp } from '../run';
import {
  type C2bPayInput,
  type C2bPaymentRecord,
  handleC2bRegister,
  handleTransactionStatus,
  payC2b,
} from './c2b';
import type {
  C2bApiVersion,
  DarajaApp,
  DarajaSimulatorOptions,
  HandlerResult,
  SimulatorContext,
} from './context';
import { isStkScenarioName, STK_SCENARIO_NAMES, type StkScenarioName } from './scenarios';
import { type SimulatorSnapshot, SimulatorState } from './state';
import { handleStkPush, handleStkQuery } from './stk';
import { errorBody, isLoopbackUrl, noApiProductMatch } from './wire';

/** Daraja's documented token lifetime; its answer says "3599". */
export const TOKEN_LIFETIME_SECONDS_DEFAULT = 3599;
/** Daraja's answers and callbacks are small; a larger request body is refused unread. */
export const REQUEST_BODY_BYTES_MAX = 64 * 1024;
/** Daraja gives a C2B validation URL about 8 s; the same bound for every callback we post. */
export const CALLBACK_TIMEOUT_MS_DEFAULT = 8_000;
/** Extra copies of each callback; more would only slow tests. */
export const DUPLICATE_CALLBACKS_MAX = 10;
/** Longer than any test waits for a callback. */
export const CALLBACK_DELAY_MS_MAX = 10 * 60 * 1000;
/** A timestamp further than this from the simulator's clock is refused: catches UTC-for-EAT mistakes. */
export const TIMESTAMP_TOLERANCE_MS_DEFAULT = 10 * 60 * 1000;
/** `settled()` waits for at most this many rounds of callbacks scheduling further callbacks. */
const SETTLE_ROUNDS_MAX = 100;

/** What a new app on the Daraja portal gets today. */
export const C2B_API_VERSIONS_DEFAULT: readonly C2bApiVersion[] = ['v2'];

export interface DarajaSimulator {
  readonly baseUrl: string;
  readonly port: number;
  state(): SimulatorSnapshot;
  /** For one normalised number, or for every number without its own when `phone` is omitted. */
  setScenario(scenario: StkScenarioName, phone?: string): void;
  setDuplicateCallbacks(count: number): void;
  setCallbackDelayMs(delayMs: number): void;
  /** Forget every issued token, so the next API call gets 401 and the client must fetch a new one. */
  revokeTokens(): void;
  /** A customer pays a paybill/till from their phone: validation then confirmation, as M-Pesa does. */
  payC2b(input: C2bPayInput): Promise<C2bPaymentRecord>;
  /** Resolves when every scheduled callback has been delivered (or failed). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const scenarioControlSchema = z.object({
  phone: z
    .string()
    .regex(/^254[17]\d{8}$/)
    .optional(),
  scenario: z
    .string()
    .refine(isStkScenarioName, { message: `one of ${STK_SCENARIO_NAMES.join(', ')}` })
    .optional(),
  duplicateCallbacks: z.number().int().min(0).max(DUPLICATE_CALLBACKS_MAX).optional(),
  callbackDelayMs: z.number().int().min(0).max(CALLBACK_DELAY_MS_MAX).optional(),
});

function resolveOptions(options: DarajaSimulatorOptions): SimulatorContext['options'] {
  return {
    apps: options.apps,
    shortcodes: options.shortcodes,
    callbackDelayMs: options.callbackDelayMs,
    duplicateCallbacks: options.duplicateCallbacks ?? 0,
    defaultScenario: options.defaultScenario ?? 'success',
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS_DEFAULT,
    callbackTimeoutMs: options.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS_DEFAULT,
    timestampToleranceMs: options.timestampToleranceMs ?? TIMESTAMP_TOLERANCE_MS_DEFAULT,
    allowNonLoopbackCallbacks: options.allowNonLoopbackCallbacks ?? false,
    now: options.now ?? Date.now,
  };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > REQUEST_BODY_BYTES_MAX) throw new Error('request body too large');
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  return JSON.parse(text) as unknown;
}

function send(response: ServerResponse, result: HandlerResult): void {
  const text = JSON.stringify(result.body);
  response.writeHead(result.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function handleOauth(context: SimulatorContext, request: IncomingMessage, url: URL): HandlerResult {
  if (url.searchParams.get('grant_type') !== 'client_credentials') {
    return { status: 400, body: errorBody('400.008.02', 'Invalid grant type passed') };
  }
  const header = request.headers.authorization ?? '';
  const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const key = decoded.slice(0, separator);
  const secret = decoded.slice(separator + 1);
  const app = context.options.apps.find((item) => item.consumerKey === key && item.consumerSecret === secret);
  if (separator < 0 || app === undefined) {
    return { status: 400, body: errorBody('400.008.01', 'Invalid Authentication passed') };
  }
  const token = randomBytes(21).toString('base64url');
  context.state.issueToken(
    token,
    app.consumerKey,
    context.options.now() + context.options.tokenLifetimeSeconds * 1000,
  );
  return {
    status: 200,
    body: { access_token: token, expires_in: String(context.options.tokenLifetimeSeconds) },
  };
}

/** The app whose valid bearer token the request carries, or undefined. */
function callerOf(context: SimulatorContext, request: IncomingMessage): DarajaApp | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return undefined;
  const consumerKey = context.state.consumerKeyOfToken(header.slice(7), context.options.now());
  return context.options.apps.find((app) => app.consumerKey === consumerKey);
}

function handleScenarioControl(context: SimulatorContext, body: unknown): HandlerResult {
  const parsed = scenarioControlSchema.safeParse(body ?? {});
  if (!parsed.success)
    return { status: 400, body: { error: parsed.error.issues.map((issue) => issue.message) } };
  const control = parsed.data;
  if (control.scenario !== undefined) {
    const scenario = control.scenario as StkScenarioName;
    if (control.phone === undefined) context.settings.defaultScenario = scenario;
    else context.state.setPhoneScenario(control.phone, scenario);
  }
  if (control.duplicateCallbacks !== undefined)
    context.settings.duplicateCallbacks = control.duplicateCallbacks;
  if (control.callbackDelayMs !== undefined) context.settings.callbackDelayMs = control.callbackDelayMs;
  return {
    status: 200,
    body: { ...context.settings, phoneScenarios: context.state.snapshot().phoneScenarios },
  };
}

type Route = (
  context: SimulatorContext,
  body: unknown,
  caller: DarajaApp,
) => HandlerResult | Promise<HandlerResult>;

/** C2B URL registration on one version; the gateway refuses an app without that product before reading the body. */
function c2bRegisterRoute(version: C2bApiVersion): Route {
  return (context, body, caller) =>
    (caller.c2bApiVersions ?? C2B_API_VERSIONS_DEFAULT).includes(version)
      ? handleC2bRegister(context, body, version)
      : noApiProductMatch();
}

/** Daraja API endpoints: each needs a bearer token from /oauth/v1/generate. */
const API_ROUTES: Readonly<Record<string, Route>> = {
  '/mpesa/stkpush/v1/processrequest': handleStkPush,
  '/mpesa/stkpushquery/v1/query': handleStkQuery,
  '/mpesa/c2b/v1/registerurl': c2bRegisterRoute('v1'),
  '/mpesa/c2b/v2/registerurl': c2bRegisterRoute('v2'),
  '/mpesa/transactionstatus/v1/query': handleTransactionStatus,
};

async function route(context: SimulatorContext, request: IncomingMessage): Promise<HandlerResult> {
  const url = new URL(request.url ?? '/', 'http://simulator.invalid');
  const method = request.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/oauth/v1/generate') return handleOauth(context, request, url);
  if (method === 'GET' && url.pathname === '/__sim/state')
    return { status: 200, body: context.state.snapshot() };
  if (method !== 'POST') return { status: 404, body: errorBody('404.001.01', 'Resource not found') };
  let body: unknown;
  try {
    body = await readBody(request);
  } catch {
    return { status: 400, body: errorBody('400.002.02', 'Bad Request - Invalid JSON') };
  }
  if (url.pathname === '/__sim/scenario') return handleScenarioControl(context, body);
  if (url.pathname === '/__sim/reset') {
    context.state.reset();
    return { status: 200, body: { reset: true } };
  }
  if (url.pathname === '/__sim/c2b/pay') return payC2bRoute(context, body);
  const handler = API_ROUTES[url.pathname];
  if (handler === undefined) return { status: 404, body: errorBody('404.001.01', 'Resource not found') };
  const caller = callerOf(context, request);
  if (caller === undefined) return { status: 401, body: errorBody('404.001.03', 'Invalid Access Token') };
  return handler(context, body, caller);
}

async function payC2bRoute(context: SimulatorContext, body: unknown): Promise<HandlerResult> {
  try {
    return { status: 200, body: await payC2b(context, body) };
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
}

function createContext(
  options: SimulatorContext['options'],
  pending: Set<Promise<void>>,
  timers: Map<NodeJS.Timeout, () => void>,
): SimulatorContext {
  const context: SimulatorContext = {
    options,
    state: new SimulatorState(),
    settings: {
      duplicateCallbacks: options.duplicateCallbacks,
      callbackDelayMs: options.callbackDelayMs,
      defaultScenario: options.defaultScenario,
    },
    schedule(delayMs, task) {
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          task()
            .catch(() => undefined)
            .finally(resolve);
        }, delayMs);
        // stop() clears the timer and resolves, so nobody waits for a callback that will never go.
        timers.set(timer, resolve);
      });
      pending.add(done);
      void done.then(() => pending.delete(done));
    },
    async post(url, body) {
      if (!options.allowNonLoopbackCallbacks && !isLoopbackUrl(url))
        return { error: 'refused: not a loopback URL' };
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(options.callbackTimeoutMs),
        });
        const text = (await response.text()).slice(0, REQUEST_BODY_BYTES_MAX);
        let responseBody: unknown = text;
        try {
          responseBody = JSON.parse(text) as unknown;
        } catch {
          // keep the text as it came
        }
        return { status: response.status, responseBody };
      } catch (error) {
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
  return context;
}

export async function startDarajaSimulator(options: DarajaSimulatorOptions): Promise<DarajaSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!host.startsWith('127.') && host !== 'localhost')
    throw new Error('the Daraja simulator listens on loopback only');
  const pending = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const context = createContext(resolveOptions(options), pending, timers);
  const server = createServer((request, response) => {
    route(context, request)
      .then((result) => send(response, result))
      .catch((error: unknown) => send(response, { status: 500, body: { error: String(error) } }));
  });
  const port = await listenHttp(server, host, options.port);
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    state: () => context.state.snapshot(),
    setScenario: (scenario, phone) => {
      handleScenarioControl(context, { scenario, phone });
    },
    setDuplicateCallbacks: (count) => {
      handleScenarioControl(context, { duplicateCallbacks: count });
    },
    setCallbackDelayMs: (delayMs) => {
      handleScenarioControl(context, { callbackDelayMs: delayMs });
    },
    revokeTokens: () => context.state.revokeTokens(),
    payC2b: (input) => payC2b(context, input),
    async settled() {
      for (let round = 0; round < SETTLE_ROUNDS_MAX && pending.size > 0; round += 1) {
        await Promise.all([...pending]);
      }
    },
    async stop() {
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
