// Platform billing of ISPs: accounts, charges, payments (M-Pesa, bank, PayPal), state and the run.
export * from './access';
export * from './accounts';
export * from './config';
export * from './core/allocation';
export * from './ledger';
export * from './mpesa';
export * from './paid-up';
export * from './payments';
export * from './paypal';
export * from './receipt';
export * from './run';
export * from './state';
export * from './status';
