// Three vitest projects: `unit` (pure and in-process tests beside the code), `e2e` (a running server,
// radclient, HTTP, a spawned process) and `browser` (Chromium). `vitest run` runs all three;
// `vitest run --project unit` one of them.
import { defineConfig } from 'vitest/config';

/**
 * Tests beside the code that need a process of their own: they start a server (loopback HTTP/UDP
 * simulators, redis-server, PostgreSQL) or set the process's umask, which a worker thread cannot.
 */
const PROCESS_TESTS_BESIDE_CODE = [
  'aaa-server/src/sessions/redis/redis-session-table.nodes.test.ts',
  'aaa-server/src/sessions/redis/redis-session-table.test.ts',
  'aaa-server/src/sessions/session-store.property.test.ts',
  'control-api/src/features/backups/backup-job.postgres.test.ts',
  'control-api/src/features/sms-campaigns/core/gateway-results.test.ts',
  'control-api/src/features/webhooks/delivery/deliver.test.ts',
  'control-api/src/features/webhooks/webhooks.test.ts',
  'control-api/src/features/cpes/cpes.test.ts',
  'control-api/src/features/support/support-live.test.ts',
  'control-api/src/features/chat/live.test.ts',
  'control-api/src/integrations/genieacs/client.test.ts',
  'control-api/src/kernel/health.test.ts',
  'control-api/src/kernel/job-lease.test.ts',
  'control-api/src/kernel/redis/redis-rate-limits.test.ts',
  'ops/bench/metering/pre-encoded-load.test.ts',
  'ops/bench/radius/load-generator.test.ts',
  'ops/bench/radius/node-floor.test.ts',
  'ops/sim/**/*.test.ts',
  'schemas/src/db/postgres-change-listener.test.ts',
  'schemas/src/db/postgres-database.test.ts',
  'schemas/src/db/schema-parity.test.ts',
  'schemas/src/file-modes.test.ts',
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
    // vitest sets isolation per pool, not per project: `unit` runs in threads sharing one module graph
    // per worker; `e2e` and `browser` in forks, a fresh module graph per file.
    poolOptions: { threads: { isolate: false } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts', 'ops/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...PROCESS_TESTS_BESIDE_CODE],
          setupFiles: ['ops/checks/unit-guard.ts'],
          // One module graph per worker, not per file: loading modules was four fifths of the project's
          // time (61 s instead of 285 s). So a unit test must not count on fresh module state (none mocks
          // modules today), and must not set process-wide state a thread cannot (umask, chdir).
          pool: 'threads',
          // First, alone: the end-to-end projects' servers then have both cores.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts', ...PROCESS_TESTS_BESIDE_CODE],
          exclude: ['**/node_modules/**', ...BROWSER_TESTS],
          sequence: { groupOrder: 1 },
        },
      },
      { extends: true, test: { name: 'browser', include: BROWSER_TESTS, sequence: { groupOrder: 1 } } },
    ],
  },
});
