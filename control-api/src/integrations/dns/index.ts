// What the rest of control-api (and ops, tests) may use of the DNS integration.
export * from './txt-lookup';
