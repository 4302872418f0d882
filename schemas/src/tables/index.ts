// Table definitions for both kinds of database.
export * as platformTables from './platform';
export * as tenantTables from './tenant';
