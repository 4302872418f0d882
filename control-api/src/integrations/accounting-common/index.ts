// What the QuickBooks and Xero clients share, and what the accounting sync may use of it.
export * from './amounts';
export * from './errors';
export * from './oauth2';
export * from './retry-after';
