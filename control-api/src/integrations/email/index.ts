// What the rest of control-api (and ops, tests) may use of the email integration.
export * from './errors';
export * from './messages';
export * from './sender';
export * from './smtp-url';
