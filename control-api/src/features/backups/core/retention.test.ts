// Retention and the daily schedule, as properties over any set of backups: the newest verified backup
// survives every pruning, the newest `keep` finished ones too, unfinished ones only within their grace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKUP_DUE_SLACK_MS,
  BACKUP_INTERVAL_MS,
  type BackupOnDisk,
  backupsToDelete,
  isBackupDue,
  UNFINISHED_BACKUP_GRACE_MS,
} from './retention';

const NOW_MS = Date.UTC(2030, 2, 14, 2, 0, 0);
const DAY_MS = 24 * 60 * 60 * 1000;

const backupsArbitrary = fc
  .uniqueArray(fc.record({ ageMs: fc.integer({ min: 0, max: 60 * DAY_MS }), hasManifest: fc.boolean() }), {
    selector: (backup) => backup.ageMs,
    maxLength: 40,
  })
  .map((backups) =>
    backups.map(
      (backup): BackupOnDisk => ({
        name: `b${NOW_MS - backup.ageMs}`,
        startedAtMs: NOW_MS - backup.ageMs,
        hasManifest: backup.hasManifest,
      }),
    ),
  );

/** Any finished backup may be the newest that verified (the newer ones failed verification), or none. */
const scenarioArbitrary = backupsArbitrary.chain((backups) => {
  const finished = backups.filter((backup) => backup.hasManifest).map((backup) => backup.name);
  return fc.record({
    backups: fc.constant(backups),
    newestVerifiedName: finished.length === 0 ? fc.constant(null) : fc.option(fc.constantFrom(...finished)),
    keep: fc.integer({ min: 1, max: 10 }),
  });
});

describe('backupsToDelete', () => {
  it('never deletes the newest verified backup, nor the keep newest finished ones', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ backups, newestVerifiedName, keep }) => {
        const deleted = new Set(backupsToDelete({ backups, newestVerifiedName, keep, nowMs: NOW_MS }));
        if (newestVerifiedName !== null) expect(deleted.has(newestVerifiedName)).toBe(false);
        const newestFinished = backups
          .filter((backup) => backup.hasManifest)
          .sort((a, b) => b.startedAtMs - a.startedAtMs)
          .slice(0, keep);
        for (const backup of newestFinished) expect(deleted.has(backup.name)).toBe(false);
      }),
    );
  });

  it('keeps at most keep finished backups, plus the newest verified when it is older than those', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ backups, newestVerifiedName, keep }) => {
        const deleted = new Set(backupsToDelete({ backups, newestVerifiedName, keep, nowMs: NOW_MS }));
        const finishedLeft = backups.filter((backup) => backup.hasManifest && !deleted.has(backup.name));
        const finishedCount = backups.filter((backup) => backup.hasManifest).length;
        expect(finishedLeft.length).toBeGreaterThanOrEqual(Math.min(keep, finishedCount));
        expect(finishedLeft.length).toBeLessThanOrEqual(keep + (newestVerifiedName === null ? 0 : 1));
        for (const name of deleted) expect(backups.some((backup) => backup.name === name)).toBe(true);
      }),
    );
  });

  it('removes an unfinished backup only once it is past the grace period', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ backups, newestVerifiedName, keep }) => {
        const deleted = new Set(backupsToDelete({ backups, newestVerifiedName, keep, nowMs: NOW_MS }));
        for (const backup of backups.filter((candidate) => !candidate.hasManifest)) {
          expect(deleted.has(backup.name)).toBe(NOW_MS - backup.startedAtMs > UNFINISHED_BACKUP_GRACE_MS);
        }
      }),
    );
  });

  it('keeps an old verified backup when every newer one is damaged', () => {
    const backups = [0, 1, 2, 3].map((days) => ({
      name: `day-${days}`,
      startedAtMs: NOW_MS - days * DAY_MS,
      hasManifest: true,
    }));
    expect(backupsToDelete({ backups, newestVerifiedName: 'day-3', keep: 2, nowMs: NOW_MS })).toEqual([
      'day-2',
    ]);
  });
});

describe('isBackupDue', () => {
  it('is due with no finished backup, or when the newest finished one is a day old less the slack', () => {
    expect(isBackupDue([], NOW_MS)).toBe(true);
    const at = (ageMs: number, hasManifest = true) => ({
      name: 'x',
      startedAtMs: NOW_MS - ageMs,
      hasManifest,
    });
    expect(isBackupDue([at(BACKUP_INTERVAL_MS - BACKUP_DUE_SLACK_MS - 1)], NOW_MS)).toBe(false);
    expect(isBackupDue([at(BACKUP_INTERVAL_MS - BACKUP_DUE_SLACK_MS)], NOW_MS)).toBe(true);
    expect(isBackupDue([at(60_000, false)], NOW_MS)).toBe(true);
  });
});
