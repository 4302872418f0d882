// Growth tables of one ISP's shard (issue 13): guest passes ("try free for 15 minutes") and referral
// codes with the rewards they earned.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A free pass the captive portal issued to one device (MAC); the router logs it in over RADIUS. */
export const guestPasses = sqliteTable(
  'guest_passes',
  {
    id: text('id').primaryKey(),
    /** `guest-` + 10 characters: the RADIUS User-Name. */
    username: text('username').notNull(),
    /** Sealed with the secret box like subscribers' passwords: CHAP needs the clear text back. */
    passwordSealed: text('password_sealed').notNull(),
    /** Upper case with colons, as RouterOS sends Calling-Station-Id. */
    macAddress: text('mac_address').notNull(),
    phone: text('phone'),
    issuedAt: integer('issued_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Mikrotik-Rate-Limit of the pass ("1024k/2048k"). */
    rateLimit: text('rate_limit').notNull(),
  },
  (table) => [
    uniqueIndex('guest_passes_username').on(table.username),
    index('guest_passes_mac').on(table.macAddress, table.issuedAt),
    index('guest_passes_phone').on(table.phone, table.issuedAt),
    index('guest_passes_issued').on(table.issuedAt),
  ],
);

/** A client's short referral code: a phone that bought on the portal, or a subscriber. */
export const referralCodes = sqliteTable(
  'referral_codes',
  {
    code: text('code').primaryKey(),
    /** client (a buyer, by phone) | subscriber */
    ownerKind: text('owner_kind').notNull(),
    /** The normalised phone (2547…) or the subscriber's id. */
    ownerId: text('owner_id').notNull(),
    /** The owner's phone, normalised, when known: "never for one's own phone". */
    phone: text('phone'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [uniqueIndex('referral_codes_owner').on(table.ownerKind, table.ownerId)],
);

/**
 * What a settled purchase carrying a referral code earned: one row per purchase, granted (with the
 * reward voucher(s) and the unique `referral:<phone>` key) or declined with its reason, for the reports.
 */
export const referralRewards = sqliteTable(
  'referral_rewards',
  {
    id: text('id').primaryKey(),
    purchaseId: text('purchase_id').notNull(),
    code: text('code').notNull(),
    referrerKind: text('referrer_kind').notNull(),
    referrerId: text('referrer_id').notNull(),
    newPhone: text('new_phone').notNull(),
    /** granted | declined */
    outcome: text('outcome').notNull(),
    /** Null when declined: nulls never conflict, so only grants are unique per new phone. */
    rewardKey: text('reward_key'),
    declineReason: text('decline_reason'),
    referrerVoucherId: text('referrer_voucher_id'),
    newClientVoucherId: text('new_client_voucher_id'),
    decidedAt: integer('decided_at').notNull(),
  },
  (table) => [
    uniqueIndex('referral_rewards_purchase').on(table.purchaseId),
    uniqueIndex('referral_rewards_key').on(table.rewardKey),
    index('referral_rewards_referrer').on(table.referrerKind, table.referrerId, table.decidedAt),
    index('referral_rewards_decided').on(table.decidedAt),
  ],
);
