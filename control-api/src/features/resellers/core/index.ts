// The reseller feature's pure core: hierarchy, commission rules and splits, wallet rules, statements, codes.
export * from './commission-rules';
export * from './errors';
export * from './hierarchy';
export * from './ledger';
export * from './settlement';
export * from './split';
export * from './statement';
export * from './wallet';
