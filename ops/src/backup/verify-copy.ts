// Checks a PostgreSQL copy against the SQLite database it came from, from committed data: the same
// row count and the same rows (an order-free digest) in every table, and the same ledger balances per
// account, both sides of every transfer (tenants) and per ISP (the platform ledger).
import { createHash } from 'node:crypto';
import type { BackupProblem, SqlDatabase, SqlValue } from '@kiunga/schemas';
import type Database from 'better-sqlite3';
import { quoted, readRows } from './copy-tables';
import { type DatabaseKind, type TableToCopy, tablesToCopy } from './table-copy-plan';

/** Rows read from PostgreSQL per page while digesting a table (memory stays flat on large tables). */
const DIGEST_PAGE_ROWS = 5_000;
/** Row digests are added modulo 2^128: an order-free sum that accidental damage does not reproduce. */
const DIGEST_MODULUS = 1n << 128n;

interface TableSummary {
  rows: number;
  digest: bigint;
}

function rowDigest(values: readonly unknown[]): bigint {
  const hash = createHash('sha256');
  for (const value of values) {
    if (value === null) hash.update('n;');
    else if (typeof value === 'number') hash.update(`i${value};`);
    else if (typeof value === 'string') hash.update(`s${Buffer.byteLength(value)}:${value};`);
    else if (value instanceof Uint8Array) hash.update(`b${value.length}:`).update(value).update(';');
    else throw new Error(`a ${typeof value} in a copied row`);
  }
  return BigInt(`0x${hash.digest('hex').slice(0, 32)}`);
}

function summarizeSqlite(source: Database.Database, table: TableToCopy): TableSummary {
  let rows = 0;
  let digest = 0n;
  for (const row of readRows(source, table)) {
    rows++;
    digest = (digest + rowDigest(row)) % DIGEST_MODULUS;
  }
  return { rows, digest };
}

async function summarizePostgres(target: SqlDatabase, table: TableToCopy): Promise<TableSummary> {
  const columns = table.columns.map(quoted).join(', ');
  const [key] = table.primaryKey;
  const isKeyset = table.primaryKey.length === 1 && key !== undefined;
  let rows = 0;
  let digest = 0n;
  let after: SqlValue | undefined;
  for (let offset = 0; ; offset += DIGEST_PAGE_ROWS) {
    const page = isKeyset
      ? await target.all<Record<string, unknown>>(
          `SELECT ${columns} FROM ${quoted(table.name)}${after === undefined ? '' : ` WHERE ${quoted(key)} > ?`} ORDER BY ${quoted(key)} LIMIT ${DIGEST_PAGE_ROWS}`,
          after === undefined ? [] : [after],
        )
      : await target.all<Record<string, unknown>>(
          `SELECT ${columns} FROM ${quoted(table.name)} ORDER BY ${columns} LIMIT ${DIGEST_PAGE_ROWS} OFFSET ${offset}`,
        );
    for (const row of page) {
      rows++;
      digest = (digest + rowDigest(table.columns.map((column) => row[column]))) % DIGEST_MODULUS;
    }
    if (page.length < DIGEST_PAGE_ROWS) return { rows, digest };
    if (isKeyset) after = page.at(-1)?.[key] as SqlValue;
  }
}

/** Debits and credits per ledger account (tenant ledger) or the balance per ISP (platform ledger). */
const LEDGER_QUERIES: Record<DatabaseKind, string> = {
  tenant: `SELECT account, SUM(debit) AS debits, SUM(credit) AS credits, COUNT(*) AS transfers FROM (
             SELECT debit_account AS account, amount_cents AS debit, 0 AS credit FROM ledger_entries
             UNION ALL SELECT credit_account AS account, 0 AS debit, amount_cents AS credit FROM ledger_entries
           ) AS sides GROUP BY account`,
  platform: `SELECT tenant_id AS account, SUM(amount_cents) AS debits, 0 AS credits, COUNT(*) AS transfers
               FROM platform_ledger_entries GROUP BY tenant_id`,
};

interface LedgerAccount {
  account: string;
  debits: number;
  credits: number;
  transfers: number;
}

function describeAccount(account: LedgerAccount | undefined, kind: DatabaseKind): string {
  if (!account) return 'absent';
  return kind === 'tenant'
    ? `debits ${account.debits}, credits ${account.credits} cents in ${account.transfers} transfer sides`
    : `balance ${account.debits} cents in ${account.transfers} entries`;
}

async function compareLedgers(
  source: Database.Database,
  target: SqlDatabase,
  kind: DatabaseKind,
  label: string,
): Promise<{ problems: BackupProblem[]; accounts: number }> {
  const sourceAccounts = source.prepare(LEDGER_QUERIES[kind]).all() as LedgerAccount[];
  const targetAccounts = await target.all<LedgerAccount>(LEDGER_QUERIES[kind]);
  const targetByAccount = new Map(targetAccounts.map((account) => [account.account, account]));
  const sourceByAccount = new Map(sourceAccounts.map((account) => [account.account, account]));
  const problems: BackupProblem[] = [];
  for (const name of new Set([...sourceByAccount.keys(), ...targetByAccount.keys()])) {
    const inSource = sourceByAccount.get(name);
    const inTarget = targetByAccount.get(name);
    const isSame =
      inSource !== undefined &&
      inTarget !== undefined &&
      Number(inSource.debits) === Number(inTarget.debits) &&
      Number(inSource.credits) === Number(inTarget.credits) &&
      Number(inSource.transfers) === Number(inTarget.transfers);
    if (!isSame) {
      problems.push({
        subject: `${label}: ledger account ${name}`,
        reason: `SQLite ${describeAccount(inSource, kind)}; PostgreSQL ${describeAccount(inTarget, kind)}`,
      });
    }
  }
  return { problems, accounts: sourceByAccount.size };
}

export interface CopyVerification {
  readonly problems: readonly BackupProblem[];
  readonly tables: number;
  readonly rows: number;
  readonly ledgerAccounts: number;
}

/** Compares every table and the ledger of one database; `label` names it in problems ("tenant ten_a"). */
export async function verifyCopy(
  source: Database.Database,
  target: SqlDatabase,
  kind: DatabaseKind,
  label: string,
): Promise<CopyVerification> {
  const problems: BackupProblem[] = [];
  let rows = 0;
  const tables = tablesToCopy(kind);
  for (const table of tables) {
    const inSource = summarizeSqlite(source, table);
    const inTarget = await summarizePostgres(target, table);
    rows += inSource.rows;
    if (inSource.rows !== inTarget.rows) {
      problems.push({
        subject: `${label}: table ${table.name}`,
        reason: `${inSource.rows} rows in SQLite, ${inTarget.rows} in PostgreSQL`,
      });
    } else if (inSource.digest !== inTarget.digest) {
      problems.push({
        subject: `${label}: table ${table.name}`,
        reason: 'same row count, different contents',
      });
    }
  }
  const ledger = await compareLedgers(source, target, kind, label);
  return {
    problems: [...problems, ...ledger.problems],
    tables: tables.length,
    rows,
    ledgerAccounts: ledger.accounts,
  };
}
