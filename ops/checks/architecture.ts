// `pnpm run check:architecture` (part of `./kiunga test`): no import cycle, no new SQL in a handler.
// Run from the repository root; exits 1 with what to fix.
import { CHECKED_SOURCE_ROOTS, findImportCycles, importCycleProblems } from './import-cycles';
import { checkSqlInHandlers, KNOWN_SQL_IN_HANDLERS } from './sql-in-handlers';

const problems: string[] = [];

problems.push(...importCycleProblems(await findImportCycles(CHECKED_SOURCE_ROOTS)));

const sql = checkSqlInHandlers(process.cwd());
for (const { file, findings } of sql.offenders) {
  for (const finding of findings) {
    problems.push(
      `SQL in a handler (move it into the feature's store.ts): ${file}:${finding.line} ${finding.what}`,
    );
  }
}
for (const file of sql.cleanKnownFiles) {
  problems.push(
    `no SQL left in ${file}: remove it from KNOWN_SQL_IN_HANDLERS in ops/checks/sql-in-handlers.ts`,
  );
}

for (const problem of problems) console.error(`architecture: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(
  `architecture: no import cycle, no SQL in handlers outside the ${KNOWN_SQL_IN_HANDLERS.length} known files`,
);
