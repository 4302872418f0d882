// `pnpm --filter @kiunga/schemas generate [--name NAME] [--custom]`: one step that writes the next
// migration of both dialects (SQLite and PostgreSQL, platform and tenant) from the table definitions.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const schemasRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const configs = [
  'drizzle.platform.config.ts',
  'drizzle.tenant.config.ts',
  'drizzle.platform.postgres.config.ts',
  'drizzle.tenant.postgres.config.ts',
];

const postgresFolders = ['migrations-postgres/platform', 'migrations-postgres/tenant'];

/**
 * drizzle-kit names a foreign key's target `"public"."table"`, but a tenant's tables live in its own
 * schema and are reached through search_path: the reference must stay unqualified to resolve there.
 */
export function unqualifyPublicSchema(sql: string): string {
  return sql.replaceAll('"public".', '');
}

function unqualifyPostgresMigrations(): void {
  for (const folder of postgresFolders) {
    const path = join(schemasRoot, folder);
    for (const file of readdirSync(path).filter((name) => name.endsWith('.sql'))) {
      const sql = readFileSync(join(path, file), 'utf8');
      const unqualified = unqualifyPublicSchema(sql);
      if (unqualified !== sql) writeFileSync(join(path, file), unqualified);
    }
  }
}

function main(argv: readonly string[]): void {
  const passThrough = argv.filter((argument) => argument !== '--');
  for (const config of configs) {
    execFileSync('pnpm', ['exec', 'drizzle-kit', 'generate', '--config', config, ...passThrough], {
      cwd: schemasRoot,
      stdio: 'inherit',
    });
  }
  unqualifyPostgresMigrations();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
