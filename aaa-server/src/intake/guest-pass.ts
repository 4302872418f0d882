// Access-Request for a guest pass (`guest-…` User-Name, issue 13): the pass is read from the NAS's tenant
// (never cached: a pass logs in once or twice in its life), its sealed password checked like a
// subscriber's (null when there is no such pass: a subscriber may be named so), then the guest-pass core decides — only from the MAC it was issued to, only while it runs,
// Session-Timeout = what is left, Mikrotik-Rate-Limit = the pass's rate. The accept carries the reason
// `guest_pass` for the decision log (diagnostics).

import { authorizeGuestPass } from '@kiunga/control-api/features/guest-passes';
import { Attribute } from '@kiunga/dictionaries';
import { getString, type OutgoingAttribute, type RadiusPacket, stringAttribute } from '../codec/index';
import type { RejectReason } from '../policy/index';
import type { NasEntry } from '../store/index';
import type { IntakeContext } from './context';
import { type Credentials, checkCredentials } from './credentials';
import { replyAttributes } from './reply-attributes';
import { classValue } from './subject';

export { isGuestPassUsername } from '@kiunga/control-api/features/guest-passes';

export type GuestPassOutcome =
  | { kind: 'accept'; attributes: OutgoingAttribute[]; reason: 'guest_pass' }
  | { kind: 'reject'; reason: RejectReason };

interface GuestPassRow {
  id: string;
  passwordSealed: string;
  macAddress: string;
  expiresAt: number;
  rateLimit: string;
}

export async function authorizeGuestPassLogin(
  context: IntakeContext,
  packet: RadiusPacket,
  nas: NasEntry,
  username: string,
  accountName: string,
  credentials: Credentials,
  nowMs: number,
): Promise<GuestPassOutcome | null> {
  const database = context.auth.databaseOf(nas.tenantId);
  const row = await database.get<GuestPassRow>(
    `SELECT id, password_sealed AS "passwordSealed", mac_address AS "macAddress", expires_at AS "expiresAt",
            rate_limit AS "rateLimit"
       FROM guest_passes WHERE username = ?`,
    [accountName],
  );
  if (row === undefined) return null;
  const password = context.secretBox.open(row.passwordSealed);
  const check = checkCredentials(credentials, username, password, nas.sharedSecret, packet);
  if (!check.isValid) return { kind: 'reject', reason: 'invalid_credentials' };
  const decision = authorizeGuestPass({
    pass: { mac: row.macAddress, expiresAtMs: Number(row.expiresAt), rateLimit: row.rateLimit },
    callingStationId: getString(packet, Attribute.CallingStationId) ?? null,
    nowMs,
  });
  if (decision.kind === 'reject') return { kind: 'reject', reason: decision.code };
  const tenant = await context.auth.current(nas.tenantId, nowMs);
  const settings = await tenant.settingsOf(database, nowMs);
  const attributes = replyAttributes({
    sessionTimeoutSeconds: decision.sessionTimeoutSeconds,
    idleTimeoutSeconds: settings.idleTimeoutSeconds,
    interimIntervalSeconds: settings.interimIntervalSeconds,
    rateLimit: decision.rateLimit,
    framedIpAddress: null,
    framedPool: null,
    addressList: null,
    totalLimitBytes: null,
  });
  for (const attribute of check.replyAttributes) attributes.push(attribute);
  // Echoed in accounting (RFC 2865 §5.25): the session is the pass's, in the live table and the session list.
  attributes.push(stringAttribute(Attribute.Class, classValue('guest_pass', row.id)));
  return { kind: 'accept', attributes, reason: decision.reason };
}
