// The NAS registry in memory: source address or NAS-Identifier → tenant, secret and flags.
// Loaded from the platform database and refreshed, so the packet path never touches the database for it.
import type { SecretBox, SqlDatabase } from '@kiunga/schemas';
import { createSharedSecret, type SharedSecret } from '../codec/index';

export interface NasEntry {
  id: string;
  tenantId: string;
  name: string;
  ipAddress: string | null;
  identifier: string | null;
  secret: Buffer;
  /** The secret with its HMAC pads precomputed, for the packet path. */
  sharedSecret: SharedSecret;
  requireMessageAuthenticator: boolean;
  coaPort: number;
}

interface NasRow {
  id: string;
  tenantId: string;
  name: string;
  ipAddress: string | null;
  identifier: string | null;
  secretSealed: string;
  requireMessageAuthenticator: number;
  coaPort: number;
}

export class NasRegistry {
  private byAddress = new Map<string, NasEntry>();
  private byIdentifier = new Map<string, NasEntry>();
  private byId = new Map<string, NasEntry>();
  /** Reloads started; an older reload finishing after a newer one must not bring back what it read. */
  private reloadsStarted = 0;

  constructor(
    private readonly platform: SqlDatabase,
    private readonly secretBox: SecretBox,
  ) {}

  /** Re-reads the registry; a NAS of an archived or suspended-for-abuse tenant is not served. */
  async reload(): Promise<void> {
    const reload = ++this.reloadsStarted;
    const rows = await this.platform.all<NasRow>(
      `SELECT n.id, n.tenant_id AS "tenantId", n.name, n.ip_address AS "ipAddress", n.identifier,
              n.secret_sealed AS "secretSealed",
              n.require_message_authenticator AS "requireMessageAuthenticator", n.coa_port AS "coaPort"
         FROM nas_devices n JOIN tenants t ON t.id = n.tenant_id
        WHERE t.status != 'archived'
        ORDER BY n.id`,
    );
    const byAddress = new Map<string, NasEntry>();
    const byIdentifier = new Map<string, NasEntry>();
    const byId = new Map<string, NasEntry>();
    for (const row of rows) {
      const secret = Buffer.from(this.secretBox.open(row.secretSealed), 'utf8');
      const entry: NasEntry = {
        id: row.id,
        tenantId: row.tenantId,
        name: row.name,
        ipAddress: row.ipAddress,
        identifier: row.identifier,
        secret,
        sharedSecret: createSharedSecret(secret),
        requireMessageAuthenticator: row.requireMessageAuthenticator === 1,
        coaPort: row.coaPort,
      };
      byId.set(entry.id, entry);
      if (entry.ipAddress) byAddress.set(entry.ipAddress, entry);
      if (entry.identifier) byIdentifier.set(entry.identifier, entry);
    }
    if (reload !== this.reloadsStarted) return;
    this.byAddress = byAddress;
    this.byIdentifier = byIdentifier;
    this.byId = byId;
  }

  findByAddress(address: string): NasEntry | undefined {
    return this.byAddress.get(normaliseAddress(address));
  }

  findByIdentifier(identifier: string): NasEntry | undefined {
    return this.byIdentifier.get(identifier);
  }

  findById(id: string): NasEntry | undefined {
    return this.byId.get(id);
  }

  tenantIds(): string[] {
    return [...new Set([...this.byId.values()].map((entry) => entry.tenantId))];
  }

  get size(): number {
    return this.byId.size;
  }
}

/** dgram reports IPv4 peers on a dual-stack socket as ::ffff:a.b.c.d. */
export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
