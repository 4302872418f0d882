// What the rest of control-api (and ops, tests) may use of the webhooks feature so far: its pure core
// (events, signatures, retry schedule, SSRF guard) and the delivery attempt.
export * from './core/destination';
export * from './core/events';
export * from './core/retry-schedule';
export * from './core/signature';
export * from './delivery/deliver';
