// The in-process suites again with every database on PostgreSQL (KIUNGA_TEST_DATABASE=postgres): the
// stores' tests beside the code and the tests that run the API and the AAA server in this process.
// Each file starts its own throwaway PostgreSQL server (schemas/src/db/testing/postgres-server.ts).
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// The base's projects would make vitest ignore this include and run every project on PostgreSQL.
const { projects: _projects, ...shared } = base.test ?? {};

export default defineConfig({
  ...base,
  test: {
    ...shared,
    include: [
      'control-api/src/**/*.test.ts',
      'aaa-server/src/store/**/*.test.ts',
      // In-process like those, but with the outside systems' simulators from ops/sim.
      'tests/in-process/**/*.test.ts',
    ],
    env: { KIUNGA_TEST_DATABASE: 'postgres' },
  },
});
