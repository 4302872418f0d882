// What the accounting sync (and ops, tests) may use of the QuickBooks Online integration.
export * from './client';
export * from './oauth';
export * from './schemas';
