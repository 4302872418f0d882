// drizzle-kit config for the tenant shard migrations.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/tables/tenant.ts',
  out: './migrations/tenant',
});
