// One vitest run for every package: unit tests beside the code, end-to-end tests in tests/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/src/**/*.test.ts', 'tests/**/*.test.ts', 'ops/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: end-to-end files each start a real server, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
