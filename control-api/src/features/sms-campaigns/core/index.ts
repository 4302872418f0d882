// The SMS campaign feature's pure core: templates, SMS length and cost, segments, opt-out, the campaign's
// sending run and its messages' state machine, Africa's Talking delivery reports.
export * from './campaign-messages';
export * from './campaign-run';
export * from './delivery-reports';
export * from './errors';
export * from './gateway-results';
export * from './in-memory-store';
export * from './messages';
export * from './opt-out';
export * from './segments';
export * from './sender';
export * from './sms-length';
export * from './templates';
