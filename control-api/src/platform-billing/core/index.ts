// Platform billing rules: tiers, charges, account state and payment allocation (pure; no SQL, no clock).
export * from './allocation';
export * from './tiers';
