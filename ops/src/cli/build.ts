// Compiles the kiunga command into dist/ for production: one ESM bundle of the workspace's TypeScript.
//
// Run by ./kiunga (under a lock, only when dist/ is missing or stale); never imported by the CLI itself.
// Layout of one build, made beside the current one and switched to by renaming a symlink:
//
//   dist/current -> builds/<id>
//   dist/builds/<id>/bin/kiunga.mjs     the bundle (+ .map): our code only
//   dist/builds/<id>/bin/metering-worker.mjs  the usage metering worker thread's bundle (+ .map)
//   dist/builds/<id>/migrations/        copied from schemas/migrations (database.ts reads ../migrations)
//   dist/builds/<id>/migrations-postgres/  copied from schemas/migrations-postgres (KIUNGA_DATABASE_URL)
//   dist/builds/<id>/node_modules/<pkg> links to the installed packages the bundle imports
//   dist/builds/<id>/build-stamp        mtime = when this build started reading the sources
//
// Third-party packages stay external: native modules (better-sqlite3, argon2) cannot be bundled, and
// some packages read their own files at run time (pdfkit's fonts). pnpm installs each workspace
// package's dependencies beside that package, out of reach of dist/, hence the per-build links.
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const DIST_DIRECTORY = 'dist';
export const CURRENT_LINK = 'current';
export const BUILDS_DIRECTORY = 'builds';
export const BUILD_STAMP_FILE = 'build-stamp';
/** bin/ beside migrations/ mirrors schemas/src beside schemas/migrations, which database.ts relies on. */
const BUNDLE_NAME = 'kiunga';
export const BUNDLE_PATH = join('bin', `${BUNDLE_NAME}.mjs`);
const ENTRY_POINT = join('ops', 'src', 'cli', 'main.ts');
/**
 * The usage metering worker thread's entry (control-api/src/features/usage/metering-thread.ts starts
 * bin/metering-worker.mjs, beside the bundle).
 */
const METERING_WORKER_BUNDLE_NAME = 'metering-worker';
const METERING_WORKER_ENTRY_POINT = join('control-api', 'src', 'features', 'usage', 'metering.worker.ts');
/** Both dialects' migrations, copied under the same names (database.ts: MIGRATIONS_PARENT). */
const MIGRATIONS_SOURCES = ['migrations', 'migrations-postgres'];
/** Workspace packages are bundled from their TypeScript source; every other package stays external. */
const WORKSPACE_SCOPE = '@kiunga/';
/** Node 20 is the engine the project supports (package.json "engines"). */
const TARGET = 'node20';

/** The installed package (its name: `pdfkit`, `@hono/node-server`) that a bare import specifier names. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Where Node would find `name` from `directory`: the first node_modules/<name> walking up. */
function findPackageDirectory(name: string, directory: string): string | null {
  for (let current = directory; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(current) === current) return null;
  }
}

/**
 * Marks third-party imports external and records which installed copy each one means. Two workspace
 * packages importing two different copies of one package cannot share one node_modules/<name>: the
 * build refuses rather than pick one silently.
 */
function externalPackages(installed: Map<string, string>): Plugin {
  return {
    name: 'kiunga-external-packages',
    setup(context) {
      context.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith(WORKSPACE_SCOPE)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        const name = packageNameOf(args.path);
        const directory = findPackageDirectory(name, args.resolveDir);
        if (directory === null) return { errors: [{ text: `package '${name}' is not installed` }] };
        const known = installed.get(name);
        if (known !== undefined && known !== directory) {
          return {
            errors: [{ text: `package '${name}' resolves to two installed copies: ${known}, ${directory}` }],
          };
        }
        installed.set(name, directory);
        return { path: args.path, external: true };
      });
    },
  };
}

function linkInstalledPackages(buildDirectory: string, installed: Map<string, string>): void {
  for (const [name, directory] of installed) {
    const link = join(buildDirectory, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    // Relative, like pnpm's own links: the checkout can move without a rebuild.
    symlinkSync(relative(dirname(link), directory), link);
  }
}

/** Build directories some running process was started from (its command line names the bundle). */
function buildsInUse(buildsDirectory: string): Set<string> {
  const inUse = new Set<string>();
  let processes: string[];
  try {
    processes = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return inUse; // No /proc: nothing is known to be in use.
  }
  // Compared with the resolved path that ./kiunga hands node (readlink -f).
  const prefix = `${realpathSync(buildsDirectory)}/`;
  for (const pid of processes) {
    let commandLine: string;
    try {
      commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // The process ended meanwhile, or is not ours to read.
    }
    for (const argument of commandLine.split('\0')) {
      if (argument.startsWith(prefix)) inUse.add(argument.slice(prefix.length).split('/')[0] ?? '');
    }
  }
  return inUse;
}

/**
 * Removes builds that are neither current, nor the one just replaced (a process may be about to start
 * from it), nor run by a live process: a server reads its build's migrations whenever it opens a shard.
 */
function removeUnusedBuilds(buildsDirectory: string, kept: ReadonlyArray<string | null>): void {
  const inUse = buildsInUse(buildsDirectory);
  for (const entry of readdirSync(buildsDirectory)) {
    if (kept.includes(entry) || inUse.has(entry)) continue;
    rmSync(join(buildsDirectory, entry), { recursive: true, force: true });
  }
}

/** The build `dist/current` points at, or null before the first build. */
function currentBuildId(distDirectory: string): string | null {
  try {
    return readlinkSync(join(distDirectory, CURRENT_LINK)).split('/').at(-1) ?? null;
  } catch {
    return null;
  }
}

/** Builds into a new directory, then makes it current with one rename (atomic for every reader). */
export async function buildDist(
  repositoryRoot: string,
): Promise<{ buildDirectory: string; durationMs: number }> {
  const startedAt = new Date();
  const distDirectory = join(repositoryRoot, DIST_DIRECTORY);
  const buildsDirectory = join(distDirectory, BUILDS_DIRECTORY);
  const id = `${startedAt.toISOString().replace(/[-:.]/g, '')}-${process.pid}`;
  const buildDirectory = join(buildsDirectory, id);
  mkdirSync(buildDirectory, { recursive: true });
  try {
    const installed = new Map<string, string>();
    const result = await build({
      absWorkingDir: repositoryRoot,
      // Named by their output file in bin/; the worker is its own bundle (a Worker starts from a file).
      entryPoints: {
        [BUNDLE_NAME]: join(repositoryRoot, ENTRY_POINT),
        [METERING_WORKER_BUNDLE_NAME]: join(repositoryRoot, METERING_WORKER_ENTRY_POINT),
      },
      outdir: join(buildDirectory, dirname(BUNDLE_PATH)),
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: TARGET,
      // Logged errors name their class (pino's `type`); bundling may otherwise rename a clashing class.
      keepNames: true,
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'error',
      plugins: [externalPackages(installed)],
    });
    const bundledPackages = Object.keys(result.metafile.inputs).filter((input) =>
      input.includes('node_modules'),
    );
    if (bundledPackages.length > 0)
      throw new Error(`installed packages were bundled: ${bundledPackages.join(', ')}`);
    linkInstalledPackages(buildDirectory, installed);
    for (const folder of MIGRATIONS_SOURCES) {
      cpSync(join(repositoryRoot, 'schemas', folder), join(buildDirectory, folder), { recursive: true });
    }
    const stamp = join(buildDirectory, BUILD_STAMP_FILE);
    writeFileSync(stamp, `${id}\n`);
    // A source saved while this build ran is newer than the stamp, so the next start rebuilds.
    utimesSync(stamp, startedAt, startedAt);
  } catch (error) {
    rmSync(buildDirectory, { recursive: true, force: true });
    throw error;
  }
  const previous = currentBuildId(distDirectory);
  const temporaryLink = join(distDirectory, `${CURRENT_LINK}.${process.pid}`);
  rmSync(temporaryLink, { force: true });
  symlinkSync(join(BUILDS_DIRECTORY, id), temporaryLink);
  renameSync(temporaryLink, join(distDirectory, CURRENT_LINK));
  removeUnusedBuilds(buildsDirectory, [id, previous]);
  return { buildDirectory, durationMs: Date.now() - startedAt.getTime() };
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  try {
    const { buildDirectory, durationMs } = await buildDist(repositoryRoot);
    process.stderr.write(`kiunga: built ${relative(repositoryRoot, buildDirectory)} in ${durationMs} ms\n`);
  } catch (error) {
    // esbuild has already printed its own errors; anything else is said here.
    process.stderr.write(`kiunga: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
