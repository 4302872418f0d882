// What the rest of control-api (and ops, tests) may use of the PayPal integration.
export * from './client';
export * from './currency';
export * from './errors';
export * from './schemas';
