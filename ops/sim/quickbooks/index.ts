// What tests and the demo use of the QuickBooks simulator.
export * from './connect-client';
export * from './quickbooks-simulator';
