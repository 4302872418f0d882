// Who a chat client is on each portal, from what the request carries: the customer portal's session
// (a subscriber) or the captive portal's chat cookie (a voucher or a phone). The pages and the live
// socket both ask here, so both see the same person or nobody.
import { normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import type { Context } from 'hono';
import type { ApiDependencies } from '../../kernel/dependencies';
import { type PublicTenant, publicTenantBySlug } from '../../kernel/tenant-access';
import { selfServiceIspOf, signedSubscriberOf } from '../../self-service/service';
import type { SubscriberProfile } from '../../self-service/store';
import { readChatCookie } from './client-cookie';
import type { ChatClient } from './store';

export type PortalKind = 'account' | 'portal';

export interface SignedChatClient {
  tenant: PublicTenant;
  database: SqlDatabase;
  client: ChatClient;
  csrfToken: string;
}

export function subscriberChatClient(profile: SubscriberProfile): ChatClient {
  const phone = profile.phone === null ? null : normaliseKenyanPhone(profile.phone);
  return { kind: 'subscriber', key: profile.id, label: profile.username, phone };
}

/** The captive portal's client: a valid chat cookie whose voucher (if any) was not revoked since. */
export async function portalChatClientOf(
  dependencies: ApiDependencies,
  context: Context,
  slug: string,
): Promise<SignedChatClient | null> {
  const tenant = await publicTenantBySlug(dependencies.databases.platform, slug);
  const database = dependencies.databases.forTenant(tenant.id);
  const signed = readChatCookie(dependencies, context, tenant.id);
  if (signed === null) return null;
  if (signed.client.kind === 'voucher') {
    const voucher = await database.get(`SELECT id FROM vouchers WHERE id = ? AND status != 'revoked'`, [
      signed.client.key,
    ]);
    if (!voucher) return null;
  }
  return { tenant, database, client: signed.client, csrfToken: signed.csrfToken };
}

/** The customer portal's client: the signed-in subscriber. */
export async function accountChatClientOf(
  dependencies: ApiDependencies,
  context: Context,
  slug: string,
): Promise<SignedChatClient | null> {
  const isp = await selfServiceIspOf(dependencies, slug);
  const subscriber = await signedSubscriberOf(dependencies, context, isp);
  if (subscriber === null) return null;
  return {
    tenant: isp.tenant,
    database: isp.database,
    client: subscriberChatClient(subscriber.profile),
    csrfToken: subscriber.csrfToken,
  };
}

export function chatClientOf(kind: PortalKind) {
  return kind === 'account' ? accountChatClientOf : portalChatClientOf;
}

/** Where a client's chat lives on its portal. */
export function clientChatBase(kind: PortalKind, slug: string): string {
  return kind === 'account' ? `/account/${slug}/chat` : `/portal/${slug}/chat`;
}
