// An Africa's Talking bulk SMS simulator for tests and the demo: POST /version1/messaging on loopback,
// speaking the documented wire format (form body, apiKey header, SMSMessageData answer), recording
// every message, and failing numbers on request (invalid, blacklisted, low balance, gateway outage).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { listenHttp } from '../run';
import {
  isSmsBehaviourName,
  MAGIC_NUMBER_BEHAVIOURS,
  SMS_BEHAVIOUR_NAMES,
  SMS_BEHAVIOURS,
  type SmsBehaviourName,
} from './scenarios';

/** A bulk request with a thousand numbers fits well under this; larger bodies are refused unread. */
export const REQUEST_BODY_BYTES_MAX = 256 * 1024;
/** Messages kept for inspection; past this the oldest are dropped (a test sends a handful). */
export const RECORDED_MESSAGES_MAX = 10_000;
/** The gateway's limit on numbers per request. */
export const RECIPIENTS_PER_REQUEST_MAX = 1_000;
/** What one SMS part costs in the simulator (KES 0.80, as the gateway words it: "KES 0.8000"). */
const COST_PER_PART_CENTS = 80;
/** GSM-7 single part; concatenated parts carry 153 characters each. */
const SINGLE_PART_CHARS = 160;
const CONCATENATED_PART_CHARS = 153;
const INTERNATIONAL_NUMBER = /^\+[1-9]\d{6,14}$/;
const AUTHENTICATION_INVALID = 'The supplied authentication is invalid';

export interface SmsAccount {
  readonly username: string;
  readonly apiKey: string;
  /** Sender ids registered for the account; any is accepted when absent. */
  readonly senderIds?: readonly string[];
}

export interface SmsSimulatorOptions {
  /** Loopback only: 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly accounts: readonly SmsAccount[];
  readonly now?: () => number;
}

export interface SimulatedSms {
  readonly messageId: string | null;
  readonly username: string;
  readonly from: string | null;
  readonly to: string;
  readonly message: string;
  readonly statusCode: number;
  readonly status: string;
  readonly at: number;
}

export interface SmsSimulator {
  readonly baseUrl: string;
  readonly port: number;
  /** Every message the gateway answered for, delivered or not, oldest first. */
  messages(): SimulatedSms[];
  /** Only those delivered (statusCode 101). */
  delivered(): SimulatedSms[];
  /** How many requests reached /version1/messaging, refused ones included. */
  requestCount(): number;
  /**
   * What the gateway does for one number: for the next `times` requests to it (every one when omitted),
   * then back to delivering.
   */
  setBehaviour(number: string, behaviour: SmsBehaviourName, times?: number): void;
  reset(): void;
  stop(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

interface SimulatorState {
  readonly messages: SimulatedSms[];
  readonly behaviours: Map<string, { behaviour: SmsBehaviourName; remaining: number | null }>;
  requests: number;
}

const behaviourControlSchema = z.object({
  number: z.string().regex(INTERNATIONAL_NUMBER),
  behaviour: z.string().refine(isSmsBehaviourName, { message: `one of ${SMS_BEHAVIOUR_NAMES.join(', ')}` }),
  times: z.number().int().min(1).max(1_000).optional(),
});

function partsOf(message: string): number {
  if (message.length <= SINGLE_PART_CHARS) return 1;
  return Math.ceil(message.length / CONCATENATED_PART_CHARS);
}

function costText(cents: number): string {
  return `KES ${(cents / 100).toFixed(4)}`;
}

/** The behaviour for this request to `number`, counting down a limited one. */
function takeBehaviour(state: SimulatorState, number: string): SmsBehaviourName {
  const set = state.behaviours.get(number);
  if (set === undefined) return MAGIC_NUMBER_BEHAVIOURS[number] ?? 'success';
  if (set.remaining !== null) {
    set.remaining -= 1;
    if (set.remaining <= 0) state.behaviours.delete(number);
  }
  return set.behaviour;
}

function headerValue(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function handleMessaging(
  state: SimulatorState,
  options: SmsSimulatorOptions,
  request: IncomingMessage,
  text: string,
): Reply {
  state.requests += 1;
  const contentType = headerValue(request, 'content-type');
  if (!contentType.startsWith('application/x-www-form-urlencoded')) {
    return { status: 415, body: 'Request body must be application/x-www-form-urlencoded' };
  }
  const form = new URLSearchParams(text);
  const username = form.get('username') ?? '';
  const account = options.accounts.find(
    (candidate) => candidate.username === username && candidate.apiKey === headerValue(request, 'apikey'),
  );
  if (account === undefined) return { status: 401, body: AUTHENTICATION_INVALID };
  const to = form.get('to');
  const message = form.get('message');
  if (!to) return { status: 400, body: "Request is missing required form field 'to'" };
  if (!message) return { status: 400, body: "Request is missing required form field 'message'" };
  const numbers = to.split(',').map((number) => number.trim());
  if (numbers.length > RECIPIENTS_PER_REQUEST_MAX) return { status: 400, body: 'Too many recipients' };
  const from = form.get('from');
  if (from && account.senderIds !== undefined && !account.senderIds.includes(from)) {
    return { status: 201, body: { SMSMessageData: { Message: 'InvalidSenderId', Recipients: [] } } };
  }
  const behaviours = numbers.map((number) =>
    INTERNATIONAL_NUMBER.test(number) ? takeBehaviour(state, number) : ('invalid_number' as const),
  );
  if (behaviours.includes('server_error')) return { status: 500, body: 'Internal Server Error' };
  const now = (options.now ?? Date.now)();
  const parts = partsOf(message);
  let sentCount = 0;
  const recipients = numbers.map((number, index) => {
    const behaviour = SMS_BEHAVIOURS[behaviours[index] ?? 'success'];
    const statusCode = behaviour.statusCode ?? 500;
    const isSent = statusCode === 101;
    if (isSent) sentCount += 1;
    const messageId = isSent ? `ATXid_${randomBytes(16).toString('hex')}` : null;
    state.messages.push({
      messageId,
      username,
      from: from || null,
      to: number,
      message,
      statusCode,
      status: behaviour.status,
      at: now,
    });
    return {
      statusCode,
      number,
      status: behaviour.status,
      cost: isSent ? costText(parts * COST_PER_PART_CENTS) : '0',
      messageId: messageId ?? 'None',
    };
  });
  if (state.messages.length > RECORDED_MESSAGES_MAX) {
    state.messages.splice(0, state.messages.length - RECORDED_MESSAGES_MAX);
  }
  const total = costText(sentCount * parts * COST_PER_PART_CENTS);
  return {
    status: 201,
    body: {
      SMSMessageData: {
        Message: `Sent to ${sentCount}/${numbers.length} Total Cost: ${total}`,
        Recipients: recipients,
      },
    },
  };
}

function handleBehaviourControl(state: SimulatorState, text: string): Reply {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 400, body: { error: 'body is not JSON' } };
  }
  const parsed = behaviourControlSchema.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: parsed.error.issues.map((i) => i.message) } };
  const { number, behaviour, times } = parsed.data;
  state.behaviours.set(number, { behaviour: behaviour as SmsBehaviourName, remaining: times ?? null });
  return { status: 200, body: { number, behaviour, times: times ?? null } };
}

async function readText(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > REQUEST_BODY_BYTES_MAX) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function route(
  state: SimulatorState,
  options: SmsSimulatorOptions,
  request: IncomingMessage,
): Promise<Reply> {
  const url = new URL(request.url ?? '/', 'http://simulator.invalid');
  const method = request.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/__sim/messages') {
    return { status: 200, body: { requests: state.requests, messages: state.messages } };
  }
  if (method !== 'POST') return { status: 404, body: 'Not Found' };
  const text = await readText(request);
  if (text === null) return { status: 413, body: 'Request body too large' };
  if (url.pathname === '/version1/messaging') return handleMessaging(state, options, request, text);
  if (url.pathname === '/__sim/behaviour') return handleBehaviourControl(state, text);
  if (url.pathname === '/__sim/reset') {
    resetState(state);
    return { status: 200, body: { reset: true } };
  }
  return { status: 404, body: 'Not Found' };
}

function resetState(state: SimulatorState): void {
  state.messages.length = 0;
  state.behaviours.clear();
  state.requests = 0;
}

function send(response: ServerResponse, reply: Reply): void {
  const isText = typeof reply.body === 'string';
  const text = isText ? (reply.body as string) : JSON.stringify(reply.body);
  response.writeHead(reply.status, {
    'Content-Type': isText ? 'text/plain' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startSmsSimulator(options: SmsSimulatorOptions): Promise<SmsSimulator> {
  const host = options.host ?? '127.0.0.1';
  if (!host.startsWith('127.') && host !== 'localhost')
    throw new Error('the SMS simulator listens on loopback only');
  const state: SimulatorState = { messages: [], behaviours: new Map(), requests: 0 };
  const server = createServer((request, response) => {
    route(state, options, request)
      .then((reply) => send(response, reply))
      .catch((error: unknown) => send(response, { status: 500, body: String(error) }));
  });
  const port = await listenHttp(server, host, options.port);
  return {
    baseUrl: `http://${host}:${port}`,
    port,
    messages: () => [...state.messages],
    delivered: () => state.messages.filter((message) => message.statusCode === 101),
    requestCount: () => state.requests,
    setBehaviour(number, behaviour, times) {
      state.behaviours.set(number, { behaviour, remaining: times ?? null });
    },
    reset: () => resetState(state),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
