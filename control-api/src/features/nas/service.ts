// The NAS registry rows of one ISP (platform DB, scoped by tenant): MikroTiks that talk RADIUS to Kiunga.
import {
  assignmentsOf,
  type CreateNasInput,
  columnsOf,
  generateNasSecret,
  insertOf,
  KiungaError,
  type NasOutput,
  newId,
  platformSchema,
  rowOf,
  rowsOf,
  type SecretBox,
  type SqlDatabase,
  type UpdateNasInput,
} from '@kiunga/schemas';
import {
  afterCursor,
  createdPageOf,
  isUniqueViolation,
  newestFirst,
  type PageRequest,
  violatedUniqueText,
  whereAll,
} from '../../kernel/listing';
import type { Page } from '../../kernel/pagination';

const { nasDevices } = platformSchema;

type NasRow = typeof nasDevices.$inferSelect;

export function toNasOutput(row: NasRow): NasOutput {
  const { secretSealed: _sealed, tenantId: _tenant, ...rest } = row;
  return rest;
}

function assertReachable(nas: {
  ipAddress: string | null;
  identifier: string | null;
  requireMessageAuthenticator: boolean;
  hotspotDnsName: string | null;
  isHotspotHttps: boolean;
}) {
  if (!nas.ipAddress && !nas.identifier)
    throw new KiungaError('validation_failed', 'Give the NAS an ipAddress, an identifier, or both.');
  if (!nas.ipAddress && !nas.requireMessageAuthenticator)
    throw new KiungaError(
      'validation_failed',
      'A NAS known only by identifier must sign with Message-Authenticator (requireMessageAuthenticator=true).',
    );
  if (nas.isHotspotHttps && !nas.hotspotDnsName)
    throw new KiungaError(
      'validation_failed',
      "An HTTPS hotspot login page needs the hotspot's DNS name (hotspotDnsName): its certificate is issued for that name.",
    );
}

/** The NAS address and identifier are unique across the whole platform: say so without naming the owner. */
function uniqueConflict(
  error: unknown,
  nas: { ipAddress: string | null; identifier: string | null },
): unknown {
  if (!isUniqueViolation(error)) return error;
  // SQLite names the column (nas_devices.ip_address), PostgreSQL the index (nas_ip_unique).
  if (/ip_address|nas_ip_unique/.test(violatedUniqueText(error)))
    return new KiungaError(
      'conflict',
      `A NAS with address ${nas.ipAddress} is already registered on Kiunga (here or by another ISP).`,
    );
  return new KiungaError(
    'conflict',
    `A NAS with identifier '${nas.identifier}' is already registered on Kiunga (here or by another ISP).`,
  );
}

export async function listNas(
  platform: SqlDatabase,
  tenantId: string,
  page: PageRequest,
): Promise<Page<NasOutput>> {
  const where = whereAll([{ sql: 'tenant_id = ?', params: [tenantId] }, afterCursor(page.cursor)]);
  const rows = await platform.all(
    `SELECT ${columnsOf(nasDevices)} FROM nas_devices${where.sql} ORDER BY ${newestFirst()} LIMIT ?`,
    [...where.params, page.limit + 1],
  );
  return createdPageOf(rowsOf(nasDevices, rows), page.limit, toNasOutput);
}

async function getNasRow(platform: SqlDatabase, tenantId: string, nasId: string): Promise<NasRow> {
  const row = await platform.get(
    `SELECT ${columnsOf(nasDevices)} FROM nas_devices WHERE id = ? AND tenant_id = ?`,
    [nasId, tenantId],
  );
  if (!row) throw new KiungaError('not_found', 'No such NAS.');
  return rowOf(nasDevices, row);
}

export async function getNas(platform: SqlDatabase, tenantId: string, nasId: string): Promise<NasOutput> {
  return toNasOutput(await getNasRow(platform, tenantId, nasId));
}

export async function createNas(
  platform: SqlDatabase,
  secretBox: SecretBox,
  tenantId: string,
  input: CreateNasInput,
  nowMs: number,
): Promise<{ nas: NasOutput; secret: string }> {
  const secret = generateNasSecret();
  const row: NasRow = {
    id: newId('nas'),
    tenantId,
    name: input.name,
    ipAddress: input.ipAddress ?? null,
    identifier: input.identifier ?? null,
    secretSealed: secretBox.seal(secret),
    requireMessageAuthenticator: input.requireMessageAuthenticator,
    coaPort: input.coaPort,
    hotspotDnsName: input.hotspotDnsName ?? null,
    isHotspotHttps: input.isHotspotHttps,
    createdAt: nowMs,
    updatedAt: nowMs,
  };
  assertReachable(row);
  const insert = insertOf(nasDevices, row);
  try {
    await platform.run(insert.sql, insert.params);
  } catch (error) {
    throw uniqueConflict(error, row);
  }
  return { nas: toNasOutput(row), secret };
}

export async function updateNas(
  platform: SqlDatabase,
  tenantId: string,
  nasId: string,
  input: UpdateNasInput,
  nowMs: number,
): Promise<NasOutput> {
  // One transaction: the row written back is the row read (a secret rotated in between is kept).
  return platform.transaction(async (transaction) => {
    const current = await getNasRow(transaction, tenantId, nasId);
    const next: NasRow = { ...current, ...input, updatedAt: nowMs };
    assertReachable(next);
    const { id: _id, tenantId: _tenantId, ...changed } = next;
    const assignments = assignmentsOf(nasDevices, changed);
    try {
      await transaction.run(`UPDATE nas_devices SET ${assignments.sql} WHERE id = ? AND tenant_id = ?`, [
        ...assignments.params,
        nasId,
        tenantId,
      ]);
    } catch (error) {
      throw uniqueConflict(error, next);
    }
    return toNasOutput(next);
  });
}

/**
 * The hotspot DNS names of one ISP's routers: the captive portal posts a login only to one of these
 * (or to a private address), never to whatever host a link names.
 */
export async function hotspotDnsNamesOf(platform: SqlDatabase, tenantId: string): Promise<Set<string>> {
  const names = await platform.column<string>(
    'SELECT hotspot_dns_name FROM nas_devices WHERE tenant_id = ? AND hotspot_dns_name IS NOT NULL',
    [tenantId],
  );
  return new Set(names.filter((name) => name.length > 0));
}

/** A new secret, returned once; the router must be given it before it can talk to Kiunga again. */
export async function rotateNasSecret(
  platform: SqlDatabase,
  secretBox: SecretBox,
  tenantId: string,
  nasId: string,
  nowMs: number,
): Promise<{ nas: NasOutput; secret: string }> {
  const current = await getNasRow(platform, tenantId, nasId);
  const secret = generateNasSecret();
  await platform.run(
    'UPDATE nas_devices SET secret_sealed = ?, updated_at = ? WHERE id = ? AND tenant_id = ?',
    [secretBox.seal(secret), nowMs, nasId, tenantId],
  );
  return { nas: toNasOutput({ ...current, updatedAt: nowMs }), secret };
}

export async function deleteNas(platform: SqlDatabase, tenantId: string, nasId: string): Promise<NasOutput> {
  const current = await getNasRow(platform, tenantId, nasId);
  await platform.run('DELETE FROM nas_devices WHERE id = ? AND tenant_id = ?', [nasId, tenantId]);
  return toNasOutput(current);
}
