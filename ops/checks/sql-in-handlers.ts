// Architecture check: no SQL in a handler. A feature's api.ts and console.tsx (and the route files not
// yet moved into features) parse, call a service and respond; `.prepare(` or SQL text there fails.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Route files with SQL in their handlers today (issue 10): each feature move takes its SQL into the
 * feature's store.ts and removes its line here, until the list is empty. Never add one.
 */
export const KNOWN_SQL_IN_HANDLERS: readonly string[] = [];

/**
 * Handler files: api.ts and console.tsx (or <part>-api.ts, <part>-console.tsx) anywhere in the source,
 * and every route file left in routes/.
 */
export function handlerFiles(controlApiSource: string): string[] {
  const inFeatures = listFiles(controlApiSource).filter((path) =>
    /(^|[/-])(api\.ts|console\.tsx)$/.test(path),
  );
  const inRoutes = listFiles(join(controlApiSource, 'routes'), false).filter(
    (path) => /\.tsx?$/.test(path) && !/\.test\.tsx?$/.test(path),
  );
  return [...inFeatures, ...inRoutes].sort();
}

function listFiles(directory: string, isRecursive = true): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return isRecursive ? listFiles(path) : [];
    return entry.isFile() ? [path] : [];
  });
}

/**
 * SQL statements as written in this code base (keywords in capitals, so English prose such as
 * "select a plan from the list" in a page does not match): SELECT … FROM, INSERT [OR …] INTO,
 * UPDATE <table> … SET, DELETE FROM.
 */
const SQL_STATEMENT =
  /\bSELECT\b[\s\S]*?\bFROM\b|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\b|\bUPDATE\s+\S+[\s\S]*?\bSET\b|\bDELETE\s+FROM\b/;

export interface SqlFinding {
  line: number;
  what: string;
}

/** `.prepare(` calls and string or template literals holding SQL, with their 1-based lines. */
export function findSqlInSource(fileName: string, text: string): SqlFinding[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const findings: SqlFinding[] = [];
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'prepare'
    ) {
      findings.push({ line: lineOf(node), what: '.prepare(' });
    }
    const literal = literalText(node);
    if (literal !== null && SQL_STATEMENT.test(literal)) {
      findings.push({ line: lineOf(node), what: `SQL: ${literal.replace(/\s+/g, ' ').trim().slice(0, 60)}` });
    }
    // A template's parts are read whole above; its expressions may hold literals of their own.
    node.forEachChild(visit);
  };
  visit(source);
  return findings;
}

/** The text of a string or template literal (a template's expressions become `?`), else null. */
function literalText(node: ts.Node): string | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('?');
  }
  return null;
}

export interface SqlReport {
  /** Handler files with SQL that are not on the known list: each fails the check. */
  offenders: { file: string; findings: SqlFinding[] }[];
  /** Known files that no longer hold SQL (moved or cleaned): their lines should go. */
  cleanKnownFiles: string[];
}

/** Scans the handler files under `root`/control-api/src; paths in the report are relative to `root`. */
export function checkSqlInHandlers(
  root: string,
  known: readonly string[] = KNOWN_SQL_IN_HANDLERS,
): SqlReport {
  const withSql = handlerFiles(join(root, 'control-api/src'))
    .map((path) => ({
      file: relative(root, path),
      findings: findSqlInSource(path, readFileSync(path, 'utf8')),
    }))
    .filter((scanned) => scanned.findings.length > 0);
  return {
    offenders: withSql.filter((scanned) => !known.includes(scanned.file)),
    cleanKnownFiles: known.filter((file) => !withSql.some((scanned) => scanned.file === file)),
  };
}
