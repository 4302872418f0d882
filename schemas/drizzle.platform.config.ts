// drizzle-kit config for the platform DB migrations (`pnpm --filter @kiunga/schemas generate`).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/tables/platform.ts',
  out: './migrations/platform',
});
