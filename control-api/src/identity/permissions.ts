// The permission catalogue: roles are data (sets of these names), never code branches.
export const platformPermissions = [
  'tenants.read',
  'tenants.write',
  'platform_users.manage',
  'platform_audit.read',
  'platform_billing.manage',
  'platform_analytics.read',
  /** Support chat with ISPs (issue 14): the queue, assigning, replying, closing, canned replies. */
  'platform_support.manage',
] as const;

export const ispPermissions = [
  'nas.read',
  'nas.write',
  'plans.read',
  'plans.write',
  'vouchers.read',
  'vouchers.write',
  'subscribers.read',
  'subscribers.write',
  'sessions.read',
  'sessions.disconnect',
  'staff.manage',
  'audit.read',
  'branding.write',
  'api_keys.manage',
  'settings.write',
  'billing.read',
  'billing.write',
  'reports.read',
  'webhooks.manage',
  'cpes.read',
  'cpes.manage',
  'sms.read',
  'sms.send',
  'resellers.read',
  'resellers.write',
  /** Cash top-ups, payouts and commission rules: the ISP's side of the money, never a reseller's. */
  'resellers.money',
  /** Support chat with the platform (issue 14): open conversations and reply. */
  'support.use',
  /** Client ↔ ISP chat (issue 14): read the inbox; reply, close, reopen and assign. */
  'chat.read',
  'chat.reply',
] as const;

export type PlatformPermission = (typeof platformPermissions)[number];
export type IspPermission = (typeof ispPermissions)[number];
export type Permission = PlatformPermission | IspPermission;

export type PrincipalKind =
  | 'super_admin'
  | 'platform_staff'
  | 'isp_owner'
  | 'isp_staff'
  | 'technician'
  /** An agent of the ISP (issue 13): its id is its reseller id; it sees only its own subtree. */
  | 'reseller'
  | 'api_key';

/** Who is calling: taken from a verified token, cookie or API key, never from request input. */
export interface Principal {
  kind: PrincipalKind;
  /** User id, or API key id for kind 'api_key'. */
  id: string;
  email: string | null;
  /** Null for platform accounts; every other principal belongs to exactly one ISP. */
  tenantId: string | null;
  permissions: ReadonlySet<Permission>;
  /** The ISP's status (trial | active | suspended) for tenant principals; null for platform ones. */
  tenantStatus?: string | null;
  /** A superior set this account's password: until the user picks their own, only that change is allowed. */
  mustChangePassword?: boolean;
}

export function isPlatformPermission(name: string): name is PlatformPermission {
  return (platformPermissions as readonly string[]).includes(name);
}

export function isIspPermission(name: string): name is IspPermission {
  return (ispPermissions as readonly string[]).includes(name);
}

/** Names in `requested` that `held` does not grant: empty means a subset (no privilege escalation). */
export function permissionsNotHeld(requested: readonly string[], held: ReadonlySet<string>): string[] {
  return [...new Set(requested)].filter((name) => !held.has(name));
}

/** The names of a catalogue an actor may grant (to a role or an API key): the ones they hold. */
export function grantablePermissions(catalogue: readonly string[], held: ReadonlySet<string>): Set<string> {
  return new Set(catalogue.filter((name) => held.has(name)));
}

/** A reseller reads the plans it may stock and manages its own subtree; the routes confine it there. */
const RESELLER_PERMISSIONS: ReadonlySet<Permission> = new Set([
  'plans.read',
  'resellers.read',
  'resellers.write',
]);

/** Permissions of the built-in kinds; staff and technicians get theirs from roles. */
export function builtInPermissions(kind: PrincipalKind): ReadonlySet<Permission> {
  if (kind === 'super_admin') return new Set(platformPermissions);
  if (kind === 'isp_owner') return new Set(ispPermissions);
  if (kind === 'reseller') return RESELLER_PERMISSIONS;
  return new Set();
}
