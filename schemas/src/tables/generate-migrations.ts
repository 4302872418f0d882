// `pnpm --filter @kiunga/schemas generate [--name NAME] [--custom] [--only platform|tenant]`: one step
// that writes the next migration of both dialects (SQLite and PostgreSQL; platform and tenant, or only
// the one named) from the table definitions.
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

/** `--only tenant` keeps the configs of that database kind and drops the flag from drizzle-kit's arguments. */
function selectConfigs(argv: readonly string[]): { selected: string[]; passThrough: string[] } {
  const arguments_ = argv.filter((argument) => argument !== '--');
  const onlyAt = arguments_.indexOf('--only');
  if (onlyAt === -1) return { selected: configs, passThrough: arguments_ };
  const kind = arguments_[onlyAt + 1];
  if (kind !== 'platform' && kind !== 'tenant') throw new Error('--only takes platform or tenant');
  arguments_.splice(onlyAt, 2);
  return {
    selected: configs.filter((config) => config.startsWith(`drizzle.${kind}.`)),
    passThrough: arguments_,
  };
}

function main(argv: readonly string[]): void {
  const { selected, passThrough } = selectConfigs(argv);
  for (const config of selected) {
    execFileSync('pnpm', ['exec', 'drizzle-kit', 'generate', '--config', config, ...passThrough], {
      cwd: schemasRoot,
      stdio: 'inherit',
    });
  }
  unqualifyPostgresMigrations();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
