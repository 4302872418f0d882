// Which migrations a database has had, by tag (0004_sms_outbox): recorded in a backup's manifest so a
// restore can tell a backup from a newer Kiunga (refused) from an older one (migrated forward).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export type DatabaseKind = 'platform' | 'tenant';
export type Dialect = 'sqlite' | 'postgres';

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string() })),
});

export interface MigrationJournal {
  /** Tags, oldest first. */
  readonly tags: readonly string[];
  /** drizzle records each applied migration with its journal `when` as created_at. */
  tagOf(createdAtMs: number): string | undefined;
  readonly newest: string;
}

const dialectFolders: Record<Dialect, string> = { sqlite: 'migrations', postgres: 'migrations-postgres' };

/**
 * The migrations folder in the source tree (schemas/src/db/backup → schemas/<folder>) or in a compiled
 * build (bin/ → <build>/<folder>, ops/src/cli/build.ts copies both dialects' folders there).
 */
function migrationsFolder(dialect: Dialect, kind: DatabaseKind): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const folder = dialectFolders[dialect];
  const candidates = [join(here, '..', '..', '..', folder, kind), join(here, '..', folder, kind)];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'meta', '_journal.json')));
  if (!found) throw new Error(`no ${dialect} ${kind} migrations found (looked in ${candidates.join(', ')})`);
  return found;
}

const journals = new Map<string, MigrationJournal>();

export function migrationJournal(dialect: Dialect, kind: DatabaseKind): MigrationJournal {
  const key = `${dialect}/${kind}`;
  const cached = journals.get(key);
  if (cached) return cached;
  const path = join(migrationsFolder(dialect, kind), 'meta', '_journal.json');
  const { entries } = journalSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const sorted = [...entries].sort((a, b) => a.idx - b.idx);
  const byWhen = new Map(sorted.map((entry) => [entry.when, entry.tag]));
  const newest = sorted.at(-1)?.tag;
  if (!newest) throw new Error(`${path} lists no migrations`);
  const journal = { tags: sorted.map((entry) => entry.tag), tagOf: (at: number) => byWhen.get(at), newest };
  journals.set(key, journal);
  return journal;
}

/**
 * The tag of the newest applied migration, from drizzle's `__drizzle_migrations.created_at` (the
 * journal's `when`); `unknown:<ms>` when this Kiunga's journal lacks it (a newer Kiunga wrote it).
 */
export function appliedMigrationTag(
  newestCreatedAtMs: number | null,
  dialect: Dialect,
  kind: DatabaseKind,
): string | null {
  if (newestCreatedAtMs === null) return null;
  return migrationJournal(dialect, kind).tagOf(newestCreatedAtMs) ?? `unknown:${newestCreatedAtMs}`;
}

/** Whether this Kiunga knows `tag` for that kind (so it can migrate the database forward from it). */
export function isKnownMigration(tag: string, dialect: Dialect, kind: DatabaseKind): boolean {
  return migrationJournal(dialect, kind).tags.includes(tag);
}
