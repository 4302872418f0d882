// drizzle-kit config for the platform schema's PostgreSQL migrations (tables derived from the SQLite ones).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/tables/postgres/platform.ts',
  out: './migrations-postgres/platform',
});
