// The simulator's shared types: its options and the context its endpoint handlers (stk.ts, c2b.ts) receive.
// Apart from daraja-simulator.ts, which calls the handlers, so the handlers do not import their caller.
import type { StkScenarioName } from './scenarios';
import type { SimulatorState } from './state';

/** The C2B API products an app can be subscribed to (the Register URL path's version). */
export type C2bApiVersion = 'v1' | 'v2';

export interface DarajaApp {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  /**
   * The C2B products this app is subscribed to; registering on another answers Daraja's 401
   * "no apiproduct match found". Default: v2 only, Safaricom's current product.
   */
  readonly c2bApiVersions?: readonly C2bApiVersion[];
}

export interface DarajaShortcode {
  readonly shortcode: string;
  readonly passkey: string;
  /** Whether M-Pesa calls the validation URL before confirming (Safaricom enables it on request). */
  readonly externalValidation?: boolean;
  /** `Buy Goods` for a till; `Pay Bill` otherwise. */
  readonly kind?: 'paybill' | 'till';
}

export interface DarajaSimulatorOptions {
  /** Loopback only: 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly apps: readonly DarajaApp[];
  readonly shortcodes: readonly DarajaShortcode[];
  /** How long the simulated customer takes before the STK callback (or status result) is posted. */
  readonly callbackDelayMs: number;
  /** Extra identical copies of every STK callback and C2B confirmation, to test idempotency. */
  readonly duplicateCallbacks?: number;
  /** Scenario for numbers that are neither magic nor set by `POST /__sim/scenario`. */
  readonly defaultScenario?: StkScenarioName;
  readonly tokenLifetimeSeconds?: number;
  readonly callbackTimeoutMs?: number;
  readonly timestampToleranceMs?: number;
  /** Callbacks go only to loopback URLs unless this is set (the simulator must never reach the internet by accident). */
  readonly allowNonLoopbackCallbacks?: boolean;
  readonly now?: () => number;
}

export interface HandlerResult {
  readonly status: number;
  readonly body: unknown;
}

/** Everything the endpoint handlers share. */
export interface SimulatorContext {
  readonly options: Required<Omit<DarajaSimulatorOptions, 'host' | 'port'>>;
  readonly state: SimulatorState;
  settings: { duplicateCallbacks: number; callbackDelayMs: number; defaultScenario: StkScenarioName };
  /** Runs `task` after `delayMs`, tracked so `settled()` and `stop()` know about it. */
  schedule(delayMs: number, task: () => Promise<void>): void;
  /** POSTs a callback body and answers what came back; never throws. */
  post(url: string, body: unknown): Promise<{ status?: number; responseBody?: unknown; error?: string }>;
}
