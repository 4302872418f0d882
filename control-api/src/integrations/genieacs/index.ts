// What the rest of control-api (and ops, tests) may use of the GenieACS (TR-069 ACS) integration.
export * from './client';
export * from './data-models';
export * from './device-summary';
export * from './errors';
export * from './parameter-writes';
export * from './provisioning';
export * from './schemas';
