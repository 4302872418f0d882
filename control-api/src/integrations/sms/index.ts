// What the rest of control-api (and ops, tests) may use of the SMS gateway integration.
export * from './client';
export * from './errors';
export * from './notifications';
export * from './schemas';
export * from './status-codes';
