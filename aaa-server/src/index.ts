// What other packages may use from @kiunga/aaa-server.

export * from './api-node-control';
export * from './coa/index';
export * as codec from './codec/index';
export * from './policy/index';
export * from './server';
export * from './sessions/index';
export { AcctStatus } from './store/index';
