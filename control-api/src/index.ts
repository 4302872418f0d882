// What others may use from @kiunga/control-api.
export * from './app';
export type { ApiDependencies } from './dependencies';
export { deriveTokenKey } from './identity/tokens';
export * from './server';
