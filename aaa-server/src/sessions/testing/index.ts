// Test and benchmark helpers other packages may use (`@kiunga/aaa-server/testing`); never used in production code.
export { type RedisServer, type RedisServerOptions, startRedisServer } from './redis-server';
