// What the accounting sync (and ops, tests) may use of the Xero integration.
export * from './client';
export * from './oauth';
export * from './schemas';
