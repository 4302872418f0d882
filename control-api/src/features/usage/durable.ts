// What ops/bench/metering times of the durable path: the metering job on one tenant and a usage query.
export { MeterStateCache } from './meter-state-cache';
export { METERING_BATCH_MAX, METERING_SETTLE_MS, meterTenantAccounting } from './metering.job';
export { usageSeriesOf } from './service';
