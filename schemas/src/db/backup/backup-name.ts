// Names of backup folders: the UTC instant they were started, sortable as text, e.g. 20300314T070000.123Z.

const BACKUP_NAME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

/** The folder name of a backup started at `atMs`. */
export function backupNameAt(atMs: number): string {
  const iso = new Date(atMs).toISOString(); // 2030-03-14T07:00:00.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}T${iso.slice(11, 19).replaceAll(':', '')}${iso.slice(19)}`;
}

/** The instant a backup folder's name says it was started, or null when the name is not one of ours. */
export function backupStartedAt(name: string): number | null {
  const match = BACKUP_NAME.exec(name);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, millisecond] = match.map(Number) as number[];
  const atMs = Date.UTC(year!, month! - 1, day!, hour, minute, second, millisecond);
  return backupNameAt(atMs) === name ? atMs : null;
}
