// Times the AAA accounting writer's durable path alone (no UDP, no server): commit groups of
// Interim-Updates for many open sessions into one tenant's database, as the writer flushes them.
// Prints CPU µs per record, split into the statements and the COMMIT. Figures are printed; nothing is asserted.
// Run: node --import tsx ops/bench/metering/writer.bench.ts [--sessions 20000] [--rounds 10] [--group 1000] [--postgres]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openDatabases } from '@kiunga/schemas';
import {
  type AccountingRecord,
  AcctStatus,
  writeAccountingRecords,
} from '../../../aaa-server/src/store/accounting-records';
import { startPostgresServer } from '../../../schemas/src/db/testing/postgres-server';

/** As interims.bench.ts: 20,000 sessions online in one ISP. */
const SESSIONS_DEFAULT = 20_000;
const ROUNDS_DEFAULT = 10;
/** The writer's ACCOUNTING_BATCH_MAX: a full commit group under load. */
const GROUP_DEFAULT = 1_000;
const INTERIM_SECONDS = 300;
const OCTETS_PER_SECOND = 50_000;
const START_MS = Date.UTC(2030, 2, 1, 6);

function recordOf(session: number, statusType: number, seconds: number): AccountingRecord {
  return {
    tenantId: 'ten_bench',
    nasId: `nas_${session % 20}`,
    statusType,
    receivedAtMs: START_MS + seconds * 1000,
    acctSessionId: `b${session.toString(16).padStart(8, '0')}`,
    username: `code-${session % 5_000}`,
    subjectKind: 'voucher',
    subjectId: `vch_${session % 5_000}`,
    callingStationId: '02:00:00:00:00:01',
    framedIp: `10.0.${(session >> 8) & 0xff}.${session & 0xff}`,
    nasPortId: null,
    inputOctets: seconds * OCTETS_PER_SECOND,
    outputOctets: seconds * OCTETS_PER_SECOND * 4,
    inputPackets: seconds * 40,
    outputPackets: seconds * 160,
    sessionTimeSeconds: seconds,
    terminateCause: null,
    interimIntervalSeconds: INTERIM_SECONDS,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: String(SESSIONS_DEFAULT) },
      rounds: { type: 'string', default: String(ROUNDS_DEFAULT) },
      group: { type: 'string', default: String(GROUP_DEFAULT) },
      postgres: { type: 'boolean', default: false },
    },
  });
  const sessions = Number(values.sessions);
  const rounds = Number(values.rounds);
  const group = Number(values.group);
  const postgres = values.postgres ? await startPostgresServer({ isDurable: true }) : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'kiunga-writer-bench-'));
  const databases = await openDatabases({ dataDir, databaseUrl: postgres?.url });
  try {
    await databases.createTenant('ten_bench');
    const database = databases.forTenant('ten_bench');
    /** Wall time inside the statements, to tell it from BEGIN and COMMIT (the WAL write, fsync, checkpoints). */
    let statementsMs = 0;
    const write = async (records: AccountingRecord[]) => {
      for (let start = 0; start < records.length; start += group) {
        const slice = records.slice(start, start + group);
        await database.transaction(async (transaction) => {
          const before = performance.now();
          await writeAccountingRecords(transaction, slice);
          statementsMs += performance.now() - before;
        });
      }
    };
    await write(Array.from({ length: sessions }, (_, session) => recordOf(session, AcctStatus.Start, 0)));
    statementsMs = 0;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    for (let round = 1; round <= rounds; round += 1) {
      await write(
        Array.from({ length: sessions }, (_, session) =>
          recordOf(session, AcctStatus.InterimUpdate, round * INTERIM_SECONDS),
        ),
      );
    }
    const wallMs = performance.now() - wallBefore;
    const cpu = process.cpuUsage(cpuBefore);
    const records = sessions * rounds;
    console.log(
      `${databases.dialect} writer: ${records.toLocaleString('en')} interims in groups of ${group}: ` +
        `${wallMs.toFixed(0)} ms wall (${Math.round((records / wallMs) * 1000).toLocaleString('en')}/s), ` +
        `${((cpu.user + cpu.system) / records).toFixed(1)} µs CPU per interim; statements ${statementsMs.toFixed(0)} ms wall, ` +
        `BEGIN+COMMIT ${(wallMs - statementsMs).toFixed(0)} ms wall`,
    );
  } finally {
    await databases.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
