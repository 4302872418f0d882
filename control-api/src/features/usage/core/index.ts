// The usage feature's pure core: metering accounting into rollups, usage series, fair use, rating.
export * from './accounting-record';
export * from './fair-use';
export * from './rollups';
export * from './session-meter';
export * from './usage-rating';
export * from './usage-series';
