// The NAS registry rows of one ISP (platform DB, scoped by tenant): MikroTiks that talk RADIUS to Kiunga.
import {
  type CreateNasInput,
  generateNasSecret,
  KiungaError,
  type NasOutput,
  newId,
  type PlatformDatabase,
  platformSchema,
  type SecretBox,
  type UpdateNasInput,
} from '@kiunga/schemas';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Page } from '../pagination';
import { afterCursor, createdPageOf, isUniqueViolation, newestFirst, type PageRequest } from './listing';

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
  const text = String((error as Error).message);
  if (text.includes('ip_address'))
    return new KiungaError(
      'conflict',
      `A NAS with address ${nas.ipAddress} is already registered on Kiunga (here or by another ISP).`,
    );
  return new KiungaError(
    'conflict',
    `A NAS with identifier '${nas.identifier}' is already registered on Kiunga (here or by another ISP).`,
  );
}

export function listNas(platform: PlatformDatabase, tenantId: string, page: PageRequest): Page<NasOutput> {
  const rows = platform.orm
    .select()
    .from(nasDevices)
    .where(and(eq(nasDevices.tenantId, tenantId), afterCursor(nasDevices, page.cursor)))
    .orderBy(...newestFirst(nasDevices))
    .limit(page.limit + 1)
    .all();
  return createdPageOf(rows, page.limit, toNasOutput);
}

function getNasRow(platform: PlatformDatabase, tenantId: string, nasId: string): NasRow {
  const row = platform.orm
    .select()
    .from(nasDevices)
    .where(and(eq(nasDevices.id, nasId), eq(nasDevices.tenantId, tenantId)))
    .get();
  if (!row) throw new KiungaError('not_found', 'No such NAS.');
  return row;
}

export function getNas(platform: PlatformDatabase, tenantId: string, nasId: string): NasOutput {
  return toNasOutput(getNasRow(platform, tenantId, nasId));
}

export function createNas(
  platform: PlatformDatabase,
  secretBox: SecretBox,
  tenantId: string,
  input: CreateNasInput,
  nowMs: number,
): { nas: NasOutput; secret: string } {
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
  try {
    platform.orm.insert(nasDevices).values(row).run();
  } catch (error) {
    throw uniqueConflict(error, row);
  }
  return { nas: toNasOutput(row), secret };
}

export function updateNas(
  platform: PlatformDatabase,
  tenantId: string,
  nasId: string,
  input: UpdateNasInput,
  nowMs: number,
): NasOutput {
  const current = getNasRow(platform, tenantId, nasId);
  const next: NasRow = { ...current, ...input, updatedAt: nowMs };
  assertReachable(next);
  try {
    platform.orm
      .update(nasDevices)
      .set(next)
      .where(and(eq(nasDevices.id, nasId), eq(nasDevices.tenantId, tenantId)))
      .run();
  } catch (error) {
    throw uniqueConflict(error, next);
  }
  return toNasOutput(next);
}

/**
 * The hotspot DNS names of one ISP's routers: the captive portal posts a login only to one of these
 * (or to a private address), never to whatever host a link names.
 */
export function hotspotDnsNamesOf(platform: PlatformDatabase, tenantId: string): Set<string> {
  const rows = platform.orm
    .select({ hotspotDnsName: nasDevices.hotspotDnsName })
    .from(nasDevices)
    .where(and(eq(nasDevices.tenantId, tenantId), isNotNull(nasDevices.hotspotDnsName)))
    .all();
  return new Set(rows.flatMap((row) => (row.hotspotDnsName ? [row.hotspotDnsName] : [])));
}

/** A new secret, returned once; the router must be given it before it can talk to Kiunga again. */
export function rotateNasSecret(
  platform: PlatformDatabase,
  secretBox: SecretBox,
  tenantId: string,
  nasId: string,
  nowMs: number,
): { nas: NasOutput; secret: string } {
  const current = getNasRow(platform, tenantId, nasId);
  const secret = generateNasSecret();
  platform.orm
    .update(nasDevices)
    .set({ secretSealed: secretBox.seal(secret), updatedAt: nowMs })
    .where(and(eq(nasDevices.id, nasId), eq(nasDevices.tenantId, tenantId)))
    .run();
  return { nas: toNasOutput({ ...current, updatedAt: nowMs }), secret };
}

export function deleteNas(platform: PlatformDatabase, tenantId: string, nasId: string): NasOutput {
  const current = getNasRow(platform, tenantId, nasId);
  platform.orm
    .delete(nasDevices)
    .where(and(eq(nasDevices.id, nasId), eq(nasDevices.tenantId, tenantId)))
    .run();
  return toNasOutput(current);
}
