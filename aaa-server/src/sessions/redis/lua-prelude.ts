// The Lua every session script starts with: the session's fields, key names and the helpers the scripts share.
import { ENTRY_SEPARATOR, KEY_PARTS } from './redis-keys';
import {
  INDEX_KEY_TTL_MS,
  PENDING_KEY_TTL_MS,
  PENDING_SWEEP_BATCH_SIZE,
  SESSION_KEY_TTL_MARGIN_MS,
} from './redis-limits';
import { RedisScript } from './redis-script';

/**
 * The fields of a session hash, in the order every script reads and returns them (HMGET). The tenant
 * is not stored: it is in every key name, and every call names it.
 */
export const SESSION_FIELDS = [
  'sessionId',
  'nasId',
  'acctSessionId',
  'username',
  'subjectKind',
  'subjectId',
  'callingStationId',
  'framedIp',
  'startedAtMs',
  'lastUpdateMs',
  'interimIntervalSeconds',
  'inputOctets',
  'outputOctets',
] as const;

/*
 * Why scripts (Redis docs, EVAL and "Scripting with Lua"): a script runs as one atomic step, so no other
 * client's command interleaves between its check and its write; that is what makes the device limit
 * exact across AAA nodes. Redis Lua numbers are doubles: numbers that are stored are always the caller's
 * own decimal strings (never a Lua number turned into text), and times and octet counts stay below 2^53.
 *
 * Keys: each script declares in KEYS the keys the call can name in advance, which route it to the
 * tenant's slot. Keys found through the table's own indexes (the session behind an index entry, the
 * subject of a session being replaced) are built inside the script from the same tenant prefix, so they
 * carry the same hash tag and live in the same slot. The EVAL page asks for every key to be declared;
 * a key in the declared keys' slot is what Redis Cluster itself enforces at run time (redis/redis#12906,
 * "scripts ... are allowed to access keys beyond the pre-declared range"), and the hash tag guarantees it.
 */
const PRELUDE = `
local PREFIX = ARGV[1]
local FIELDS = {${SESSION_FIELDS.map((field) => `'${field}'`).join(', ')}}
local SESSION_ID, NAS_ID, ACCT_SESSION_ID, USERNAME, SUBJECT_KIND, SUBJECT_ID, CALLING_STATION_ID,
  FRAMED_IP, STARTED_AT_MS, LAST_UPDATE_MS, INTERIM_INTERVAL_SECONDS, INPUT_OCTETS, OUTPUT_OCTETS =
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
local SEPARATOR = ${JSON.stringify(ENTRY_SEPARATOR)}
-- The character after the separator: every entry of one session id sorts before id .. AFTER_SEPARATOR.
local AFTER_SEPARATOR = '\\011'
local LISTING_KEY = PREFIX .. '${KEY_PARTS.listing}'
local STALE_KEY = PREFIX .. '${KEY_PARTS.stale}'
local PENDING_KEY = PREFIX .. '${KEY_PARTS.pending}'
local READY_KEY = PREFIX .. '${KEY_PARTS.ready}'
local PENDING_KEY_TTL_MS = ${PENDING_KEY_TTL_MS}
local SESSION_KEY_TTL_MARGIN_MS = ${SESSION_KEY_TTL_MARGIN_MS}
local INDEX_KEY_TTL_MS = ${INDEX_KEY_TTL_MS}
local PENDING_SWEEP_BATCH_SIZE = ${PENDING_SWEEP_BATCH_SIZE}

-- Lifetimes an index key was given in this run. A script's time is frozen while it runs, so giving a key
-- the same lifetime again changes nothing: a run that changes many sessions (APPLY_SESSION_CHANGES)
-- renews each shared index once, and only ever lengthens it. An index emptied in the run is gone (and
-- its lifetime with it), so removing from an index forgets what it was given.
local indexTtlsGiven = {}

local function sessionKey(ref) return PREFIX .. '${KEY_PARTS.session}' .. ref end
local function nasKey(nasId) return PREFIX .. '${KEY_PARTS.nas}' .. nasId end
local function subjectKey(subjectReference, part) return PREFIX .. '${KEY_PARTS.subject}' .. subjectReference .. part end
local function subjectSessionsKey(subjectReference) return subjectKey(subjectReference, '${KEY_PARTS.subjectSessions}') end
local function subjectPendingKey(subjectReference) return subjectKey(subjectReference, '${KEY_PARTS.subjectPending}') end
local function subjectOf(values) return values[SUBJECT_KIND] .. ':' .. values[SUBJECT_ID] end

local function splitAtSeparator(text)
  local at = string.find(text, SEPARATOR, 1, true)
  return string.sub(text, 1, at - 1), string.sub(text, at + 1)
end
local function entryOf(sessionId, ref) return sessionId .. SEPARATOR .. ref end
local function nasOfRef(ref) return string.sub(ref, 1, string.find(ref, ':', 1, true) - 1) end

local function readSession(ref)
  local values = redis.call('HMGET', sessionKey(ref), unpack(FIELDS))
  if not values[SESSION_ID] then return nil end
  return values
end

local function appendAll(target, values)
  for index = 1, #values do target[#target + 1] = values[index] end
end

-- An index entry whose session hash is gone (it expired while no node reaped): drop it from the tenant's indexes.
local function forgetEntry(entry)
  local _, ref = splitAtSeparator(entry)
  redis.call('ZREM', LISTING_KEY, entry)
  redis.call('ZREM', STALE_KEY, entry)
  redis.call('SREM', nasKey(nasOfRef(ref)), entry)
  indexTtlsGiven[LISTING_KEY], indexTtlsGiven[STALE_KEY], indexTtlsGiven[nasKey(nasOfRef(ref))] = nil, nil, nil
end

-- The session an index entry names, or nil (and the entry dropped) when it is gone or the key now holds another session.
local function readEntry(entry)
  local sessionId, ref = splitAtSeparator(entry)
  local values = readSession(ref)
  if values and values[SESSION_ID] == sessionId then return values, ref end
  forgetEntry(entry)
  return nil
end

local function findEntry(sessionId)
  return redis.call('ZRANGEBYLEX', LISTING_KEY, '[' .. sessionId .. SEPARATOR, '(' .. sessionId .. AFTER_SEPARATOR, 'LIMIT', 0, 1)[1]
end

local function removeSessionRecord(ref, values)
  local entry = entryOf(values[SESSION_ID], ref)
  redis.call('DEL', sessionKey(ref))
  redis.call('ZREM', LISTING_KEY, entry)
  redis.call('ZREM', STALE_KEY, entry)
  redis.call('SREM', nasKey(values[NAS_ID]), entry)
  redis.call('HDEL', subjectSessionsKey(subjectOf(values)), entry)
  indexTtlsGiven[LISTING_KEY], indexTtlsGiven[STALE_KEY] = nil, nil
  indexTtlsGiven[nasKey(values[NAS_ID])], indexTtlsGiven[subjectSessionsKey(subjectOf(values))] = nil, nil
end

-- Removes the live session behind each entry, appending its fields to removed (entries already gone are dropped).
local function removeEntries(entries, removed)
  for _, entry in ipairs(entries) do
    local values, ref = readEntry(entry)
    if values then
      removeSessionRecord(ref, values)
      appendAll(removed, values)
    end
  end
  return removed
end

local function keepIndexAlive(key, ttlMs)
  local given = indexTtlsGiven[key]
  if given and given >= ttlMs then return end
  indexTtlsGiven[key] = ttlMs
  redis.call('PEXPIRE', key, ttlMs)
end

-- Re-indexes a session's silence deadline and keeps every key that names it alive at least as long as it.
local function keepSessionAlive(ref, values)
  local silenceMs = 2 * tonumber(values[INTERIM_INTERVAL_SECONDS]) * 1000
  local ttlMs = silenceMs + SESSION_KEY_TTL_MARGIN_MS
  local indexTtlMs = math.max(ttlMs, INDEX_KEY_TTL_MS)
  redis.call('ZADD', STALE_KEY, tonumber(values[LAST_UPDATE_MS]) + silenceMs, entryOf(values[SESSION_ID], ref))
  redis.call('PEXPIRE', sessionKey(ref), ttlMs)
  keepIndexAlive(LISTING_KEY, indexTtlMs)
  keepIndexAlive(STALE_KEY, indexTtlMs)
  keepIndexAlive(nasKey(values[NAS_ID]), indexTtlMs)
  keepIndexAlive(subjectSessionsKey(subjectOf(values)), indexTtlMs)
end

local function releaseSlot(subjectReference, device)
  redis.call('ZREM', subjectPendingKey(subjectReference), device)
  redis.call('ZREM', PENDING_KEY, subjectReference .. SEPARATOR .. device)
end

-- Frees the tenant's slots whose expiry has passed (at most limit); returns how many.
local function expireTenantSlots(nowMs, limit)
  local expired = redis.call('ZRANGEBYSCORE', PENDING_KEY, '-inf', nowMs, 'LIMIT', 0, limit)
  for _, member in ipairs(expired) do
    local subjectReference, device = splitAtSeparator(member)
    releaseSlot(subjectReference, device)
  end
  return #expired
end

local function isPendingFull(nowMs, pendingSlotsMax)
  if redis.call('ZCARD', PENDING_KEY) < pendingSlotsMax then return false end
  expireTenantSlots(nowMs, PENDING_SWEEP_BATCH_SIZE)
  return redis.call('ZCARD', PENDING_KEY) >= pendingSlotsMax
end
`;

/** A script of the session table: the prelude, then its own body. */
export function sessionScript(name: string, body: string): RedisScript {
  return new RedisScript(name, `${PRELUDE}\n${body}`);
}
