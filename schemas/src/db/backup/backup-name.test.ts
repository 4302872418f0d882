// Backup folder names: the start instant, sortable as text, read back exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backupNameAt, backupStartedAt } from './backup-name';

/** Year 2000 to 2999: the four-digit years a folder name holds. */
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2999, 11, 31, 23, 59, 59, 999) });

describe('backup names', () => {
  it('reads back the instant it was made from', () => {
    fc.assert(
      fc.property(instant, (atMs) => {
        expect(backupStartedAt(backupNameAt(atMs))).toBe(atMs);
      }),
    );
  });

  it('sorts as text in time order', () => {
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        expect(backupNameAt(earlier) <= backupNameAt(later)).toBe(true);
      }),
    );
  });

  it('is not fooled by names that are not backups', () => {
    expect(backupNameAt(Date.UTC(2030, 2, 14, 7, 0, 0, 123))).toBe('20300314T070000.123Z');
    for (const name of ['lost+found', '20300314T070000Z', '20301314T070000.000Z', '20300230T070000.000Z']) {
      expect(backupStartedAt(name)).toBeNull();
    }
  });
});
