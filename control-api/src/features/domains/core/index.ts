// The custom-domains feature's pure core: what the integration step wires into routes, jobs and the proxy.
export * from './domain-name';
export * from './host-routing';
export * from './verification';
export * from './verification-record';
