// What tests and the demo use of the Xero simulator.
export * from './connect-client';
export * from './xero-simulator';
