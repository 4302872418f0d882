// The AAA server's pure decisions.
export * from './authorize';
