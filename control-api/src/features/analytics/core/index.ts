// The platform analytics feature's pure core.
export * from './analytics-documents';
export * from './platform-analytics';
