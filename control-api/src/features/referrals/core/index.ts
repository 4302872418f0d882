// The referral feature's pure core: settings and the reward decision (codes: ../../shared/short-codes).
export * from './rewards';
