// What the accounting sync offers the routes and jobs that will run it: the core and the vendor ports.
export * from './core/index';
export * from './port-outcomes';
export * from './quickbooks-port';
export { type AccountingSyncJobReport, runAccountingSyncJob } from './sync.job';
export * from './xero-port';
