// What others may use from @kiunga/control-api.
export * from './app';
export * from './server';
