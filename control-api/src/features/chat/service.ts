// Client ↔ ISP chat: what a client and the ISP's staff may do with a conversation, the offline-reply
// SMS (Tier 2, once per waiting batch, in the client's language) and the live feed's nudge.
import { createHash, randomInt } from 'node:crypto';
import { KiungaError, newId, normaliseKenyanPhone, type SqlDatabase } from '@kiunga/schemas';
import { type Language, t } from '../../i18n';
import { isSameSecret } from '../../identity/secrets';
import { checkAttachment } from '../../kernel/attachments';
import type { Auditor } from '../../kernel/audit';
import type { ApiDependencies } from '../../kernel/dependencies';
import { tenantFeatures } from '../../kernel/middleware/require-feature';
import { decodeTimeCursor, type Page, pageOf, timeCursorKey } from '../../kernel/pagination';
import { rateLimitsOf } from '../../kernel/rate-limits';
import {
  type ChatClient,
  type ConversationRow,
  type ConversationStatus,
  claimReplySms,
  conversationMessages,
  countPhoneCodeFailure,
  ensureClientConversation,
  findClientConversation,
  findConversation,
  insertMessage,
  insertPhoneCode,
  latestPhoneCode,
  listConversations,
  type MessageRow,
  markRead,
  markStaffReadUpTo,
  phoneCodesSince,
  queueChatSms,
  setAssignee,
  setClientLanguage,
  setStatus,
  usePhoneCode,
} from './store';

/** A chat message is a few sentences; a pasted page of text is refused rather than stored. */
export const MESSAGE_BODY_CHARS_MAX = 2_000;
/** Messages shown of one conversation: weeks of a busy client's chat on one page, newest last. */
export const MESSAGES_SHOWN_MAX = 200;
/** A phone code's life: long enough for a slow SMS, short enough that an old one is useless. */
export const PHONE_CODE_TTL_MS = 10 * 60_000;
/** Digits of a phone code: what people type from an SMS without error; 1 in a million to guess. */
const PHONE_CODE_DIGITS = 6;
/** Codes sent to one phone per hour: a client whose SMS is slow asks again, a script cannot spam it. */
export const PHONE_CODES_PER_HOUR_MAX = 3;
/** Wrong tries against one code before it is spent: a guesser gets 5 in a million per SMS. */
export const PHONE_CODE_ATTEMPTS_MAX = 5;
/** Code requests and voucher tries per address per 15 minutes: a shop's shared NAT still gets several each. */
export const CHAT_PROOFS_PER_ADDRESS = { attemptsMax: 20, windowMs: 15 * 60_000 };
const HOUR_MS = 3_600_000;

export const CHAT_REPLY_SMS_KIND = 'chat_reply';
export const CHAT_CODE_SMS_KIND = 'chat_code';

/** Whom the feed should tell: set by the feed when it starts; posting works without one (tests, jobs). */
type MessageListener = (tenantId: string) => void;
const listenersByApp = new WeakMap<ApiDependencies, MessageListener>();

export function onChatMessage(dependencies: ApiDependencies, listener: MessageListener | null): void {
  if (listener === null) listenersByApp.delete(dependencies);
  else listenersByApp.set(dependencies, listener);
}

function nudgeFeed(dependencies: ApiDependencies, tenantId: string): void {
  listenersByApp.get(dependencies)?.(tenantId);
}

export interface ChatUpload {
  fileName: string;
  bytes: Uint8Array;
}

/** The message text, trimmed; empty only when a file comes with it. */
function checkedBody(body: string, upload: ChatUpload | null): string {
  const text = body.trim();
  if (text.length > MESSAGE_BODY_CHARS_MAX) {
    throw new KiungaError(
      'validation_failed',
      `A message may be at most ${MESSAGE_BODY_CHARS_MAX} characters.`,
    );
  }
  if (text.length === 0 && upload === null)
    throw new KiungaError('validation_failed', 'Write a message or attach a file.');
  return text;
}

async function checkedUpload(upload: ChatUpload | null) {
  if (upload === null) return null;
  const checked = await checkAttachment(upload.fileName, upload.bytes);
  return { fileName: checked.fileName, mimeType: checked.mimeType, bytes: checked.bytes };
}

/** A client writes: their conversation is made (or reopened) and the ISP's inbox is told. */
export async function postClientMessage(
  dependencies: ApiDependencies,
  tenant: { id: string; database: SqlDatabase },
  client: ChatClient,
  message: { body: string; upload: ChatUpload | null; language: Language },
): Promise<{ conversationId: string; messageId: number }> {
  const body = checkedBody(message.body, message.upload);
  const attachment = await checkedUpload(message.upload);
  const nowMs = dependencies.clock.now();
  const result = await tenant.database.transaction(async (transaction) => {
    const conversationId = await ensureClientConversation(transaction, client, message.language, nowMs);
    await setClientLanguage(transaction, conversationId, message.language);
    const messageId = await insertMessage(
      transaction,
      { conversationId, authorKind: 'client', authorId: null, body, attachment },
      nowMs,
    );
    return { conversationId, messageId };
  });
  nudgeFeed(dependencies, tenant.id);
  return result;
}

export interface ClientChatView {
  conversation: ConversationRow | null;
  messages: MessageRow[];
}

/** What the client's page shows; reading it marks the ISP's replies as seen. */
export async function clientChatView(database: SqlDatabase, client: ChatClient): Promise<ClientChatView> {
  const conversation = await findClientConversation(database, client);
  if (conversation === null) return { conversation: null, messages: [] };
  await markRead(database, conversation.id, 'client');
  return {
    conversation: { ...conversation, unreadByClient: 0 },
    messages: await conversationMessages(database, conversation.id, MESSAGES_SHOWN_MAX),
  };
}

export async function conversationOrThrow(database: SqlDatabase, id: string): Promise<ConversationRow> {
  const conversation = await findConversation(database, id);
  if (conversation === null) throw new KiungaError('not_found', 'No such conversation.');
  return conversation;
}

export async function listStaffConversations(
  database: SqlDatabase,
  query: {
    status?: ConversationStatus | undefined;
    assignedTo?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<ConversationRow>> {
  const rows = await listConversations(database, {
    status: query.status ?? null,
    assignedTo: query.assignedTo ?? null,
    before: decodeTimeCursor(query.cursor),
    limit: query.limit,
  });
  return pageOf(rows, query.limit, (row) => timeCursorKey(row.lastMessageAt, row.id));
}

/** One conversation for the staff, with its messages; opening it marks the client's messages seen. */
export async function staffConversationView(database: SqlDatabase, id: string) {
  const conversation = await conversationOrThrow(database, id);
  await markRead(database, id, 'staff');
  return {
    conversation: { ...conversation, unreadByStaff: 0 },
    messages: await conversationMessages(database, id, MESSAGES_SHOWN_MAX),
  };
}

/** A staff page showed the conversation's messages up to `upToId` live: those are seen, later ones not. */
export async function markStaffConversationRead(
  database: SqlDatabase,
  id: string,
  upToId: number,
): Promise<ConversationRow> {
  await conversationOrThrow(database, id);
  await markStaffReadUpTo(database, id, upToId);
  return conversationOrThrow(database, id);
}

/**
 * The ISP's staff reply: the client's page gets it live; when the client is not connected and has a
 * phone on a Tier 2 ISP, one SMS says a reply waits (until the client reads or writes again).
 */
export async function postStaffMessage(
  dependencies: ApiDependencies,
  tenant: { id: string; database: SqlDatabase },
  conversationId: string,
  staff: { id: string; audit: Auditor },
  message: { body: string; upload: ChatUpload | null },
): Promise<{ messageId: number; isSmsQueued: boolean }> {
  const body = checkedBody(message.body, message.upload);
  const attachment = await checkedUpload(message.upload);
  await conversationOrThrow(tenant.database, conversationId);
  const hasSms = (await tenantFeatures(dependencies.databases.platform, tenant.id))('sms');
  const nowMs = dependencies.clock.now();
  const result = await tenant.database.transaction(async (transaction) => {
    const messageId = await insertMessage(
      transaction,
      { conversationId, authorKind: 'staff', authorId: staff.id, body, attachment },
      nowMs,
    );
    const isSmsQueued = hasSms && (await claimReplySms(transaction, conversationId, messageId, nowMs));
    if (isSmsQueued) {
      const conversation = await findConversation(transaction, conversationId);
      if (conversation?.phone) {
        await queueChatSms(
          transaction,
          {
            dedupeKey: `${CHAT_REPLY_SMS_KIND}:${conversationId}:${messageId}`,
            kind: CHAT_REPLY_SMS_KIND,
            subjectId: conversation.clientKey,
            recipient: conversation.phone,
            body: t(languageOf(conversation.language), 'chat.sms.replyWaiting'),
          },
          nowMs,
        );
      }
    }
    return { messageId, isSmsQueued };
  });
  await staff.audit({
    action: 'chat.reply',
    target: conversationId,
    detail: {
      messageId: result.messageId,
      hasAttachment: attachment !== null,
      smsQueued: result.isSmsQueued,
    },
  });
  nudgeFeed(dependencies, tenant.id);
  return result;
}

function languageOf(value: string): Language {
  return value === 'sw' ? 'sw' : 'en';
}

export async function changeConversationStatus(
  database: SqlDatabase,
  id: string,
  status: ConversationStatus,
  audit: Auditor,
): Promise<ConversationRow> {
  await conversationOrThrow(database, id);
  await setStatus(database, id, status);
  await audit({ action: status === 'closed' ? 'chat.close' : 'chat.reopen', target: id });
  return conversationOrThrow(database, id);
}

/** Assigns to a staff account of this ISP (checked against the platform's users), or unassigns with null. */
export async function assignConversation(
  dependencies: ApiDependencies,
  tenant: { id: string; database: SqlDatabase },
  id: string,
  assigneeId: string | null,
  audit: Auditor,
): Promise<ConversationRow> {
  await conversationOrThrow(tenant.database, id);
  if (assigneeId !== null) {
    const user = await dependencies.databases.platform.get(
      `SELECT id FROM users WHERE id = ? AND tenant_id = ? AND status = 'active'`,
      [assigneeId, tenant.id],
    );
    if (!user) throw new KiungaError('validation_failed', 'Assign to an active account of this ISP.');
  }
  await setAssignee(tenant.database, id, assigneeId);
  await audit({ action: 'chat.assign', target: id, detail: { assignedTo: assigneeId } });
  return conversationOrThrow(tenant.database, id);
}

// Proving who a hotspot client is.

function proofLimiter(dependencies: ApiDependencies) {
  return rateLimitsOf(dependencies).limiter({ name: 'chat_proofs_per_address', ...CHAT_PROOFS_PER_ADDRESS });
}
const proofLimiters = new WeakMap<ApiDependencies, ReturnType<typeof proofLimiter>>();

/** Refuses (429) an address past its tries; counts this one. */
async function countProofAttempt(dependencies: ApiDependencies, address: string): Promise<void> {
  let limiter = proofLimiters.get(dependencies);
  if (!limiter) {
    limiter = proofLimiter(dependencies);
    proofLimiters.set(dependencies, limiter);
  }
  const nowMs = dependencies.clock.now();
  const verdict = await limiter.check(address, nowMs);
  if (verdict.isLimited) throw new KiungaError('rate_limited');
  await limiter.record(address, nowMs);
}

/** A voucher the client holds names them: any voucher of this ISP that was not revoked. */
export async function clientOfVoucher(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  code: string,
  address: string,
): Promise<ChatClient | null> {
  await countProofAttempt(dependencies, address);
  const voucher = await database.get<{ id: string; code: string; phone: string | null }>(
    `SELECT v.id, v.code, (SELECT p.phone FROM purchases p WHERE p.voucher_id = v.id
        ORDER BY p.created_at DESC LIMIT 1) AS phone
       FROM vouchers v WHERE v.code = ? AND v.status != 'revoked'`,
    [code.trim().toUpperCase()],
  );
  if (!voucher) return null;
  return { kind: 'voucher', key: voucher.id, label: `Voucher ${voucher.code}`, phone: voucher.phone };
}

function hashCode(id: string, code: string): string {
  return createHash('sha256').update(`${id}|${code}`).digest('hex');
}

/** Tier 2 only: sends a one-time code to the phone through the SMS outbox. */
export async function sendPhoneCode(
  dependencies: ApiDependencies,
  tenant: { id: string; database: SqlDatabase },
  phoneInput: string,
  address: string,
  language: Language,
): Promise<string> {
  const hasSms = (await tenantFeatures(dependencies.databases.platform, tenant.id))('sms');
  if (!hasSms) throw new KiungaError('feature_not_in_tier');
  const phone = normaliseKenyanPhone(phoneInput);
  if (phone === null) throw new KiungaError('validation_failed', t(language, 'chat.verify.badPhone'));
  await countProofAttempt(dependencies, address);
  const nowMs = dependencies.clock.now();
  if ((await phoneCodesSince(tenant.database, phone, nowMs - HOUR_MS)) >= PHONE_CODES_PER_HOUR_MAX) {
    throw new KiungaError('rate_limited', t(language, 'chat.verify.tooManyCodes'));
  }
  const id = newId('chatPhoneCode');
  const code = String(randomInt(0, 10 ** PHONE_CODE_DIGITS)).padStart(PHONE_CODE_DIGITS, '0');
  await tenant.database.transaction(async (transaction) => {
    await insertPhoneCode(
      transaction,
      { id, phone, codeHash: hashCode(id, code), expiresAt: nowMs + PHONE_CODE_TTL_MS },
      nowMs,
    );
    await queueChatSms(
      transaction,
      {
        dedupeKey: `${CHAT_CODE_SMS_KIND}:${id}`,
        kind: CHAT_CODE_SMS_KIND,
        subjectId: phone,
        recipient: phone,
        body: t(language, 'chat.sms.code', { code }),
      },
      nowMs,
    );
  });
  return phone;
}

/** The phone's client when the code is its newest, unexpired, unspent one; a wrong code counts. */
export async function clientOfPhoneCode(
  dependencies: ApiDependencies,
  database: SqlDatabase,
  phoneInput: string,
  code: string,
  address: string,
): Promise<ChatClient | null> {
  await countProofAttempt(dependencies, address);
  const phone = normaliseKenyanPhone(phoneInput);
  if (phone === null) return null;
  const row = await latestPhoneCode(database, phone);
  const nowMs = dependencies.clock.now();
  if (row === null || row.expiresAt <= nowMs || row.failedAttempts >= PHONE_CODE_ATTEMPTS_MAX) return null;
  if (!isSameSecret(row.codeHash, hashCode(row.id, code.trim()))) {
    await countPhoneCodeFailure(database, row.id);
    return null;
  }
  if (!(await usePhoneCode(database, row.id, nowMs))) return null;
  return { kind: 'phone', key: phone, label: phone, phone };
}
