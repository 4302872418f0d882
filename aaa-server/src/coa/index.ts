// The CoA/Disconnect client.
export * from './coa-client';
