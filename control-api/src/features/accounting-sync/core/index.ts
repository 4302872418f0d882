// The accounting sync's pure core: ledger facts, the per-vendor plan, the executor and the CSV export.
export * from './csv-export';
export * from './executor';
export * from './facts';
export * from './operations';
export * from './plan';
