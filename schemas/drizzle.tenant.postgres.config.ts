// drizzle-kit config for a tenant schema's PostgreSQL migrations (tables derived from the SQLite ones).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/tables/postgres/tenant.ts',
  out: './migrations-postgres/tenant',
});
