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

/** One-time codes by SMS for the guest-pass phone check (issue 13): kept hashed, expiring, attempts counted. */
export const guestPassPhoneCodes = sqliteTable(
  'guest_pass_phone_codes',
  {
    id: text('id').primaryKey(),
    /** 2547XXXXXXXX: the phone the code went to. */
    phone: text('phone').notNull(),
    /** The client address that asked (the send limits per address). */
    address: text('address').notNull(),
    /** SHA-256 of the row id and the code: the code itself is never stored. */
    codeHash: text('code_hash').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Wrong codes typed against it; at the limit it is spent. */
    attempts: integer('attempts').notNull().default(0),
    usedAt: integer('used_at'),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    index('guest_pass_phone_codes_phone').on(table.phone, table.createdAt),
    index('guest_pass_phone_codes_created').on(table.createdAt),
  ],
);
