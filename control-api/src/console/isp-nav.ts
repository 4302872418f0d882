// The ISP console's tabs, each shown only to principals holding its permission (and plan feature).

import type { Permission } from '../identity/permissions';
import type { Feature } from '../kernel/middleware/require-feature';
import type { NavItem } from './layout';

/** A tab shown only to principals holding its permission, on a plan with its feature, or to the owner. */
export type TenantNavItem = NavItem & { permission?: Permission; feature?: Feature; isOwnerOnly?: boolean };

export const ISP_NAV: TenantNavItem[] = [
  { href: '/isp', label: 'Dashboard' },
  { href: '/isp/plans', label: 'Plans', permission: 'plans.read' },
  { href: '/isp/vouchers', label: 'Vouchers', permission: 'vouchers.read' },
  { href: '/isp/subscribers', label: 'Subscribers', permission: 'subscribers.read' },
  { href: '/isp/billing', label: 'Billing', permission: 'billing.read', feature: 'pppoe' },
  { href: '/isp/messages', label: 'Messages', permission: 'billing.read', feature: 'pppoe' },
  { href: '/isp/accounting', label: 'Accounting', permission: 'billing.read', feature: 'pppoe' },
  { href: '/isp/sms', label: 'SMS', permission: 'sms.read', feature: 'sms' },
  { href: '/isp/sessions', label: 'Live', permission: 'sessions.read' },
  { href: '/isp/reports', label: 'Reports', permission: 'reports.read' },
  { href: '/isp/resellers', label: 'Resellers', permission: 'resellers.read', feature: 'hotspot' },
  { href: '/isp/diagnostics', label: 'Why offline?', permission: 'sessions.read' },
  { href: '/isp/chat', label: 'Client chat', permission: 'chat.read' },
  { href: '/isp/nas', label: 'Routers', permission: 'nas.read' },
  { href: '/isp/cpes', label: 'Client routers', permission: 'cpes.read' },
  { href: '/isp/staff', label: 'Staff', permission: 'staff.manage' },
  { href: '/isp/roles', label: 'Roles', permission: 'staff.manage' },
  { href: '/isp/audit', label: 'Audit', permission: 'audit.read' },
  { href: '/isp/branding', label: 'Branding', permission: 'branding.write' },
  { href: '/isp/mpesa', label: 'M-Pesa', permission: 'settings.write' },
  { href: '/isp/guest-passes', label: 'Guest passes', permission: 'settings.write' },
  { href: '/isp/referrals', label: 'Referrals', permission: 'settings.write' },
  { href: '/isp/trials', label: 'Trials', permission: 'settings.write', feature: 'pppoe' },
  { href: '/isp/domain', label: 'Domain', permission: 'settings.write' },
  { href: '/isp/api-keys', label: 'API keys', permission: 'api_keys.manage' },
  { href: '/isp/webhooks', label: 'Webhooks', permission: 'webhooks.manage' },
  { href: '/isp/support', label: 'Support', permission: 'support.use' },
  { href: '/isp/platform-account', label: 'Platform account', isOwnerOnly: true },
  { href: '/isp/account', label: 'My account' },
];

export const TECH_NAV: TenantNavItem[] = [
  { href: '/tech', label: 'New subscriber' },
  { href: '/tech/subscribers', label: 'Search' },
  { href: '/tech/diagnostics', label: 'Why offline?' },
  { href: '/tech/cpes', label: 'Client routers' },
  { href: '/tech/chat', label: 'Client chats', permission: 'chat.read' },
  { href: '/tech/account', label: 'My account' },
];
