// Subscriber billing and platform tier rules: the pure core that jobs, routes and stores call.
export * from './accounts';
export * from './calendar';
export * from './cycles';
export * from './dunning';
export * from './invoice-run';
export * from './invoices';
export * from './ledger';
export * from './lines';
export * from './payments';
export * from './platform-tier';
export * from './proration';
export * from './standing';
export * from './units';
