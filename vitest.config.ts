// Three vitest projects: `unit` (pure and in-process tests beside the code), `e2e` (a running server,
// radclient, HTTP, a spawned process) and `browser` (Chromium). `vitest run` runs all three;
// `vitest run --project unit` one of them.
import { defineConfig } from 'vitest/config';

/** Tests beside the code that start a server (loopback HTTP/UDP simulators, redis-server, PostgreSQL). */
const SERVER_TESTS_BESIDE_CODE = [
  'aaa-server/src/sessions/redis/redis-session-table.nodes.test.ts',
  'aaa-server/src/sessions/redis/redis-session-table.test.ts',
  'aaa-server/src/sessions/session-store.property.test.ts',
  'control-api/src/features/webhooks/delivery/deliver.test.ts',
  'control-api/src/integrations/genieacs/client.test.ts',
  'ops/bench/radius/load-generator.test.ts',
  'ops/sim/**/*.test.ts',
  'schemas/src/db/postgres-database.test.ts',
  'schemas/src/db/schema-parity.test.ts',
];
const BROWSER_TESTS = ['tests/browser*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: end-to-end files each start a real server, so keep parallelism modest.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts', 'ops/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...SERVER_TESTS_BESIDE_CODE],
          setupFiles: ['ops/checks/unit-guard.ts'],
          // One module graph per worker, not per file: loading modules was four fifths of the project's
          // time. So a unit test must not count on fresh module state (none mocks modules today).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts', ...SERVER_TESTS_BESIDE_CODE],
          exclude: ['**/node_modules/**', ...BROWSER_TESTS],
        },
      },
      { extends: true, test: { name: 'browser', include: BROWSER_TESTS } },
    ],
  },
});
