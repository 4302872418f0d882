// What the rest of control-api (and ops, tests) may use of the SNMP integration.
export * from './errors';
export * from './oids';
export * from './poller';
export * from './target';
export * from './varbinds';
