// What the rest of control-api (and ops, tests) may use of the M-Pesa Daraja integration.
export * from './amounts';
export * from './callback-urls';
export * from './callbacks';
export * from './client';
export * from './errors';
export * from './requests';
export * from './result-codes';
export * from './schemas';
export * from './timestamp';
