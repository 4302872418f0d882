// Data access of the ISP domains, one module each; routes and console pages call these, never SQL.
export * from './branding';
export * from './listing';
export * from './nas';
export * from './plans';
export * from './sessions';
export * from './subscribers';
export * from './voucher-sheet';
export * from './vouchers';
