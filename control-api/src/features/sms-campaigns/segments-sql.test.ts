// A segment's SQL (store.ts segmentRecipients) means what the core's matchesSegment says, on random
// subscribers, sessions, tags and ledger balances, for random segments, on SQLite and PostgreSQL.
import type { SqlDatabase } from '@kiunga/schemas';
import { openTestDatabases, stopTestDatabaseServer, type TestDatabases } from '@kiunga/schemas/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesSegment, type Segment, type SegmentFacts } from './core/index';
import { segmentRecipients } from './store';

const NOW_MS = Date.UTC(2030, 2, 1, 6);
const DAY_MS = 86_400_000;
const SUBSCRIBERS = 60;
const PLANS = ['pln_a', 'pln_b', 'pln_c'];
const NAS = ['nas_1', 'nas_2', 'nas_3'];
const TAGS = ['vip', 'estate-a', 'tower 3'];
const STATUSES = ['active', 'expired', 'suspended'] as const;

let opened: TestDatabases;
let database: SqlDatabase;
const facts: SegmentFacts[] = [];

/** Deterministic data from fast-check's own generator, so a failure replays. */
const dataArbitrary = fc.array(
  fc.record({
    plan: fc.constantFrom(...PLANS),
    status: fc.constantFrom(...STATUSES),
    expiresInDays: fc.option(fc.integer({ min: -10, max: 60 }), { nil: null }),
    sessions: fc.array(
      fc.record({ nas: fc.constantFrom(...NAS), startedAgoMinutes: fc.integer({ min: 0, max: 5 }) }),
      {
        maxLength: 3,
      },
    ),
    tags: fc.subarray(TAGS),
    debits: fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 3 }),
    credits: fc.array(fc.integer({ min: 1, max: 5_000 }), { maxLength: 3 }),
  }),
  { minLength: SUBSCRIBERS, maxLength: SUBSCRIBERS },
);

beforeAll(async () => {
  opened = await openTestDatabases();
  database = await opened.createTenantDatabase('ten_segments');
  for (const plan of PLANS) {
    await database.run(
      `INSERT INTO plans (id, name, kind, price_cents, rate_up_kbps, rate_down_kbps, created_at, updated_at)
       VALUES (?, ?, 'pppoe', 100000, 1024, 4096, 0, 0)`,
      [plan, `Plan ${plan}`],
    );
  }
  const [subscribers] = fc.sample(dataArbitrary, { numRuns: 1, seed: 13 });
  let sessionNumber = 0;
  let transferNumber = 0;
  for (const [index, subscriber] of subscribers!.entries()) {
    const id = `sub_${String(index).padStart(3, '0')}`;
    const expiresAtMs =
      subscriber.expiresInDays === null ? null : NOW_MS + subscriber.expiresInDays * DAY_MS + index;
    await database.run(
      `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, expires_at,
         full_name, phone, created_at, updated_at) VALUES (?, ?, 'x', ?, ?, 'pppoe', ?, ?, ?, ?, ?, ?)`,
      [
        id,
        id,
        subscriber.plan,
        `ACC${index}`,
        subscriber.status,
        expiresAtMs,
        `Name ${index}`,
        `0712${String(index).padStart(6, '0')}`,
        index,
        index,
      ],
    );
    let latest: { nas: string; startedAt: number; id: string } | null = null;
    for (const session of subscriber.sessions) {
      sessionNumber += 1;
      const sessionId = `ses_${String(sessionNumber).padStart(4, '0')}`;
      const startedAt = NOW_MS - session.startedAgoMinutes * 60_000;
      await database.run(
        `INSERT INTO sessions (id, nas_id, acct_session_id, username, subject_kind, subject_id, started_at, updated_at,
           interim_interval_seconds) VALUES (?, ?, ?, ?, 'subscriber', ?, ?, ?, 300)`,
        [sessionId, session.nas, sessionId, id, id, startedAt, startedAt],
      );
      if (
        latest === null ||
        startedAt > latest.startedAt ||
        (startedAt === latest.startedAt && sessionId > latest.id)
      )
        latest = { nas: session.nas, startedAt, id: sessionId };
    }
    for (const tag of subscriber.tags)
      await database.run('INSERT INTO subscriber_tags (subscriber_id, tag) VALUES (?, ?)', [id, tag]);
    const move = async (debit: string, credit: string, amount: number) => {
      transferNumber += 1;
      await database.run(
        `INSERT INTO ledger_entries (transfer_id, debit_account, credit_account, amount_cents, kind, created_at)
         VALUES (?, ?, ?, ?, 'test', 0)`,
        [`t${transferNumber}`, debit, credit, amount],
      );
    };
    for (const amount of subscriber.debits) await move(`subscriber:${id}`, 'revenue', amount);
    for (const amount of subscriber.credits) await move('mpesa', `subscriber:${id}`, amount);
    facts.push({
      subscriberId: id,
      planId: subscriber.plan,
      status: subscriber.status,
      lastNasId: latest?.nas ?? null,
      tags: subscriber.tags,
      expiresAtMs,
      amountDueCents:
        subscriber.debits.reduce((sum, each) => sum + each, 0) -
        subscriber.credits.reduce((sum, each) => sum + each, 0),
    });
  }
});

afterAll(async () => {
  await opened?.close();
  await stopTestDatabaseServer();
});

const optional = <Value>(arbitrary: fc.Arbitrary<Value>) => fc.option(arbitrary, { nil: undefined });
const choices = <Value>(values: readonly Value[]) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 1 });

const segmentArbitrary: fc.Arbitrary<Segment> = fc.oneof(
  fc.constant({ kind: 'all' } as const),
  fc.integer({ min: 0, max: SUBSCRIBERS + 2 }).map((index) => ({
    kind: 'subscriber' as const,
    subscriberId: `sub_${String(index).padStart(3, '0')}`,
  })),
  fc
    .record({
      planIds: optional(choices(PLANS)),
      statuses: optional(choices(STATUSES)),
      nasIds: optional(choices([...NAS, 'nas_none'])),
      tags: optional(choices(TAGS)),
      expiresWithinDays: optional(fc.integer({ min: 1, max: 40 })),
      owesMoreThanCents: optional(fc.integer({ min: 0, max: 8_000 })),
    })
    .filter((filters) => Object.values(filters).some((value) => value !== undefined))
    .map((filters) => ({
      kind: 'group' as const,
      filters: Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined)),
    })),
);

describe('segment SQL', () => {
  it('selects exactly the subscribers matchesSegment selects, oldest first', async () => {
    await fc.assert(
      fc.asyncProperty(segmentArbitrary, async (segment) => {
        const selected = (await segmentRecipients(database, segment, NOW_MS)).map((row) => row.subscriberId);
        const expected = facts
          .filter((each) => matchesSegment(segment, each, NOW_MS))
          .map((each) => each.subscriberId);
        expect(selected).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('reads each subscriber’s facts as the segment core sees them', async () => {
    const rows = await segmentRecipients(database, { kind: 'all' }, NOW_MS);
    expect(
      rows.map(({ subscriberId, planId, status, lastNasId, tags, expiresAtMs, amountDueCents }) => ({
        subscriberId,
        planId,
        status,
        lastNasId,
        tags: [...tags].sort(),
        expiresAtMs,
        amountDueCents,
      })),
    ).toEqual(facts.map((each) => ({ ...each, tags: [...each.tags].sort() })));
  });
});
