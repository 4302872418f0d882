// The monitoring feature's pure core: NAS health, quiet-NAS alerts, interface throughput.
export * from './interface-throughput';
export * from './nas-alerts';
export * from './nas-health';
