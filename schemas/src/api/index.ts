// zod schemas of the ISP REST API: input validation and the OpenAPI document come from these.
export * from './branding';
export * from './common';
export * from './nas';
export * from './plans';
export * from './sessions';
export * from './subscribers';
export * from './vouchers';
