// The guest-pass feature's pure core: settings, the grant-or-refuse decision, and the RADIUS answer.
export * from './decision';
export * from './errors';
export * from './settings';
