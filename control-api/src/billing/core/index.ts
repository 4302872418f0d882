// Subscriber billing rules: the pure core that jobs, routes and stores call (exported as
// `@kiunga/control-api/billing`). Platform tiers live in platform-billing/core.
export type { Transfer, TransferKind } from '../../ledger/ledger';
export * from './calendar';
export * from './cycles';
export * from './dunning';
export * from './expiry';
export * from './invoice-run';
export * from './invoices';
export * from './lines';
export * from './payments';
export * from './proration';
export * from './standing';
export * from './transfers';
export * from './trials';
export * from './units';
