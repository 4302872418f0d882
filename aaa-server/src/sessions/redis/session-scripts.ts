// The Lua scripts that change and read the session table inside Redis, each one atomic step.
import { ENTRY_SEPARATOR, KEY_PARTS } from './redis-keys';
import {
  CLOSING_SET_TTL_MS,
  INDEX_KEY_TTL_MS,
  LISTING_PASSES_MAX,
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

-- Re-indexes a session's silence deadline and keeps every key that names it alive at least as long as it.
local function keepSessionAlive(ref, values)
  local silenceMs = 2 * tonumber(values[INTERIM_INTERVAL_SECONDS]) * 1000
  local ttlMs = silenceMs + SESSION_KEY_TTL_MARGIN_MS
  local indexTtlMs = math.max(ttlMs, INDEX_KEY_TTL_MS)
  redis.call('ZADD', STALE_KEY, tonumber(values[LAST_UPDATE_MS]) + silenceMs, entryOf(values[SESSION_ID], ref))
  redis.call('PEXPIRE', sessionKey(ref), ttlMs)
  redis.call('PEXPIRE', LISTING_KEY, indexTtlMs)
  redis.call('PEXPIRE', STALE_KEY, indexTtlMs)
  redis.call('PEXPIRE', nasKey(values[NAS_ID]), indexTtlMs)
  redis.call('PEXPIRE', subjectSessionsKey(subjectOf(values)), indexTtlMs)
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

function script(name: string, body: string): RedisScript {
  return new RedisScript(name, `${PRELUDE}\n${body}`);
}

/**
 * Check-and-reserve, the whole device-limit decision in one step.
 * KEYS: subject pending, subject sessions, tenant pending, tenant listing, tenant ready.
 * ARGV: prefix, subject reference, device, device limit, now, slot expiry, open sessions max, pending slots max.
 * Reply: {outcome, devices in use} with outcome not_ready | known | admitted | device_limit | table_full.
 */
export const ADMIT_DEVICE = script(
  'admit-device',
  `
local subjectReference, device = ARGV[2], ARGV[3]
local deviceLimit, nowMs, expiresAtMs = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local openSessionsMax, pendingSlotsMax = tonumber(ARGV[7]), tonumber(ARGV[8])
if redis.call('EXISTS', READY_KEY) == 0 then return {'not_ready', 0} end
local pendingKey, sessionsKey = subjectPendingKey(subjectReference), subjectSessionsKey(subjectReference)

-- One read of the subject's slots: expired ones are freed (a slot counts until its stored expiry, not
-- until a sweep), the others are devices in use.
local devices, devicesInUse, hasSlot = {}, 0, false
local slots = redis.call('ZRANGE', pendingKey, 0, -1, 'WITHSCORES')
for index = 1, #slots, 2 do
  local slotDevice = slots[index]
  if tonumber(slots[index + 1]) <= nowMs then
    releaseSlot(subjectReference, slotDevice)
  else
    devices[slotDevice] = true
    devicesInUse = devicesInUse + 1
    if slotDevice == device then hasSlot = true end
  end
end
local sessionDevices = redis.call('HGETALL', sessionsKey)
for index = 1, #sessionDevices, 2 do
  local entry, sessionDevice = sessionDevices[index], sessionDevices[index + 1]
  local sessionId, ref = splitAtSeparator(entry)
  if redis.call('HGET', sessionKey(ref), 'sessionId') ~= sessionId then
    redis.call('HDEL', sessionsKey, entry)
  elseif not devices[sessionDevice] then
    devices[sessionDevice] = true
    devicesInUse = devicesInUse + 1
  end
end

-- Every slot of the subject expires by now + timeout at the latest, so the keys' life is simply renewed.
local function holdSlot()
  -- A known device without room for a slot is still admitted; it simply holds no slot.
  if not hasSlot and isPendingFull(nowMs, pendingSlotsMax) then return end
  redis.call('ZADD', pendingKey, expiresAtMs, device)
  redis.call('ZADD', PENDING_KEY, expiresAtMs, subjectReference .. SEPARATOR .. device)
  redis.call('PEXPIRE', pendingKey, PENDING_KEY_TTL_MS)
  redis.call('PEXPIRE', PENDING_KEY, PENDING_KEY_TTL_MS)
end

if devices[device] then
  holdSlot()
  return {'known', devicesInUse}
end
if devicesInUse >= deviceLimit then return {'device_limit', devicesInUse} end
if redis.call('ZCARD', LISTING_KEY) >= openSessionsMax or isPendingFull(nowMs, pendingSlotsMax) then
  return {'table_full', devicesInUse}
end
holdSlot()
return {'admitted', devicesInUse}
`,
);

/**
 * Accounting-Start (or, with restore = '1', a session loaded by a rebuild, which skips the ready check).
 * KEYS: session, tenant listing, tenant stale, NAS set, subject sessions, subject pending, tenant pending, tenant ready.
 * ARGV: prefix, restore, open sessions max, then the SESSION_FIELDS values (framedIp '' when none).
 * Reply: {not_ready} | {table_full} | {conflict} | {retransmit, ...fields} | {started, ...fields}.
 */
export const START_SESSION = script(
  'start-session',
  `
local isRestore, openSessionsMax = ARGV[2] == '1', tonumber(ARGV[3])
local input = {}
for index = 1, #FIELDS do input[index] = ARGV[3 + index] end
if not isRestore and redis.call('EXISTS', READY_KEY) == 0 then return {'not_ready'} end
local ref = input[NAS_ID] .. ':' .. input[ACCT_SESSION_ID]
local existing = readSession(ref)

local function larger(current, candidate)
  if tonumber(candidate) > tonumber(current) then return candidate end
  return current
end

if existing and existing[SESSION_ID] == input[SESSION_ID] and existing[SUBJECT_KIND] == input[SUBJECT_KIND]
  and existing[SUBJECT_ID] == input[SUBJECT_ID] and existing[CALLING_STATION_ID] == input[CALLING_STATION_ID] then
  -- A retransmitted Start may come after an interim update: never move counters or time backwards.
  existing[LAST_UPDATE_MS] = larger(existing[LAST_UPDATE_MS], input[LAST_UPDATE_MS])
  existing[INPUT_OCTETS] = larger(existing[INPUT_OCTETS], input[INPUT_OCTETS])
  existing[OUTPUT_OCTETS] = larger(existing[OUTPUT_OCTETS], input[OUTPUT_OCTETS])
  existing[INTERIM_INTERVAL_SECONDS] = input[INTERIM_INTERVAL_SECONDS]
  if input[FRAMED_IP] ~= '' then existing[FRAMED_IP] = input[FRAMED_IP] end
  redis.call('HSET', sessionKey(ref), 'lastUpdateMs', existing[LAST_UPDATE_MS], 'inputOctets', existing[INPUT_OCTETS],
    'outputOctets', existing[OUTPUT_OCTETS], 'interimIntervalSeconds', existing[INTERIM_INTERVAL_SECONDS],
    'framedIp', existing[FRAMED_IP])
  keepSessionAlive(ref, existing)
  return {'retransmit', unpack(existing)}
end

-- Every check before the first write: a script stopped by an error keeps the writes it already made.
local owner = findEntry(input[SESSION_ID])
if owner and (not existing or owner ~= entryOf(existing[SESSION_ID], ref)) then return {'conflict'} end
if not existing and redis.call('ZCARD', LISTING_KEY) >= openSessionsMax then return {'table_full'} end
-- The same Acct-Session-Id for another login means the NAS reused it: the old session is over.
if existing then removeSessionRecord(ref, existing) end

local record = {}
for index = 1, #FIELDS do
  record[#record + 1] = FIELDS[index]
  record[#record + 1] = input[index]
end
redis.call('HSET', sessionKey(ref), unpack(record))
local entry = entryOf(input[SESSION_ID], ref)
local subjectReference = subjectOf(input)
redis.call('ZADD', LISTING_KEY, 0, entry)
redis.call('SADD', nasKey(input[NAS_ID]), entry)
redis.call('HSET', subjectSessionsKey(subjectReference), entry, input[CALLING_STATION_ID])
releaseSlot(subjectReference, input[CALLING_STATION_ID])
keepSessionAlive(ref, input)
return {'started', unpack(input)}
`,
);

/**
 * Interim-Update: one round trip that refreshes counters, the silence deadline and key lifetimes.
 * KEYS: session, tenant stale, tenant listing. ARGV: prefix, NAS id, Acct-Session-Id, lastUpdateMs,
 * inputOctets, outputOctets, whether to set framedIp ('1'/'0'), framedIp. Reply: fields, or nil when unknown.
 */
export const UPDATE_SESSION = script(
  'update-session',
  `
local ref = ARGV[2] .. ':' .. ARGV[3]
local values = readSession(ref)
if not values then return false end
values[LAST_UPDATE_MS], values[INPUT_OCTETS], values[OUTPUT_OCTETS] = ARGV[4], ARGV[5], ARGV[6]
if ARGV[7] == '1' then values[FRAMED_IP] = ARGV[8] end
redis.call('HSET', sessionKey(ref), 'lastUpdateMs', values[LAST_UPDATE_MS], 'inputOctets', values[INPUT_OCTETS],
  'outputOctets', values[OUTPUT_OCTETS], 'framedIp', values[FRAMED_IP])
keepSessionAlive(ref, values)
return values
`,
);

/** Accounting-Stop. KEYS: session, tenant listing. ARGV: prefix, NAS id, Acct-Session-Id. Reply: fields or nil. */
export const STOP_SESSION = script(
  'stop-session',
  `
local ref = ARGV[2] .. ':' .. ARGV[3]
local values = readSession(ref)
if not values then return false end
removeSessionRecord(ref, values)
return values
`,
);

/** Removes one session by its id. KEYS: tenant listing. ARGV: prefix, session id. Reply: fields or nil. */
export const REMOVE_SESSION = script(
  'remove-session',
  `
local entry = findEntry(ARGV[2])
if not entry then return false end
local values, ref = readEntry(entry)
if not values then return false end
removeSessionRecord(ref, values)
return values
`,
);

/**
 * Removes and returns up to `limit` sessions whose silence deadline is before the cutoff. Scripts run one
 * at a time, so when two nodes reap at once each session is removed by, and returned to, only one.
 * KEYS: tenant stale, tenant listing. ARGV: prefix, cutoff (now − grace), limit. Reply: fields of each, flat.
 */
export const CLAIM_STALE_SESSIONS = script(
  'claim-stale-sessions',
  `
local stale = redis.call('ZRANGEBYSCORE', STALE_KEY, '-inf', '(' .. ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
return removeEntries(stale, {})
`,
);

/**
 * Accounting-On/Off, first step: moves the NAS's set aside under a key of this call's own, so Starts
 * that arrive while it is drained land in a fresh set and survive. KEYS: NAS set, closing set, tenant
 * listing. ARGV: prefix. Reply: how many sessions are to be closed.
 */
export const BEGIN_CLOSING_NAS = script(
  'begin-closing-nas',
  `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('PEXPIRE', KEYS[2], ${CLOSING_SET_TTL_MS})
return redis.call('SCARD', KEYS[2])
`,
);

/** Accounting-On/Off, next steps: closes a batch. KEYS: closing set, tenant listing. ARGV: prefix, batch size. Reply: {remaining, ...fields}. */
export const DRAIN_CLOSING_NAS = script(
  'drain-closing-nas',
  `
local closed = removeEntries(redis.call('SPOP', KEYS[1], tonumber(ARGV[2])), {0})
closed[1] = redis.call('SCARD', KEYS[1])
return closed
`,
);

/** Frees a tenant's expired slots. KEYS: tenant pending. ARGV: prefix, now, batch size. Reply: how many. */
export const EXPIRE_PENDING_SLOTS = script(
  'expire-pending-slots',
  `
return expireTenantSlots(tonumber(ARGV[2]), tonumber(ARGV[3]))
`,
);

/** KEYS: tenant listing. ARGV: prefix, session id. Reply: fields or nil. */
export const FIND_SESSION = script(
  'find-session',
  `
local entry = findEntry(ARGV[2])
if not entry then return false end
local values = readEntry(entry)
return values or false
`,
);

/**
 * A page of the tenant's sessions in session id order, after a cursor that need not exist any more.
 * KEYS: tenant listing. ARGV: prefix, after session id ('' for the first page), limit. Reply: {hasMore, ...fields}.
 */
export const LIST_TENANT_SESSIONS = script(
  'list-tenant-sessions',
  `
local limit = tonumber(ARGV[3])
local minimum = '-'
if ARGV[2] ~= '' then minimum = '(' .. ARGV[2] .. AFTER_SEPARATOR end
local page, found = {0}, 0
for _ = 1, ${LISTING_PASSES_MAX} do
  local wanted = limit - found + 1
  local entries = redis.call('ZRANGEBYLEX', LISTING_KEY, minimum, '+', 'LIMIT', 0, wanted)
  for _, entry in ipairs(entries) do
    local values = readEntry(entry)
    if values then
      if found == limit then
        page[1] = 1
        return page
      end
      appendAll(page, values)
      found = found + 1
    end
    minimum = '(' .. entry
  end
  if #entries < wanted then return page end
end
page[1] = 1
return page
`,
);

/** One SSCAN page of a NAS's sessions. KEYS: NAS set, tenant listing. ARGV: prefix, cursor, count hint. Reply: {next cursor, ...fields}. */
export const LIST_NAS_SESSIONS = script(
  'list-nas-sessions',
  `
local scan = redis.call('SSCAN', KEYS[1], ARGV[2], 'COUNT', tonumber(ARGV[3]))
local page = {scan[1]}
for _, entry in ipairs(scan[2]) do
  local values = readEntry(entry)
  if values then appendAll(page, values) end
end
return page
`,
);

/** KEYS: subject sessions, tenant listing. ARGV: prefix. Reply: fields of each, flat. */
export const LIST_SUBJECT_SESSIONS = script(
  'list-subject-sessions',
  `
local found = {}
for _, entry in ipairs(redis.call('HKEYS', KEYS[1])) do
  local values = readEntry(entry)
  if values then appendAll(found, values) else redis.call('HDEL', KEYS[1], entry) end
end
return found
`,
);

/** Distinct devices over sessions and slots. KEYS: subject sessions, subject pending. ARGV: prefix. Reply: devices. */
export const SUBJECT_DEVICES = script(
  'subject-devices',
  `
local devices, seen = {}, {}
local sessionDevices = redis.call('HGETALL', KEYS[1])
for index = 1, #sessionDevices, 2 do
  local sessionId, ref = splitAtSeparator(sessionDevices[index])
  local device = sessionDevices[index + 1]
  if redis.call('HGET', sessionKey(ref), 'sessionId') == sessionId and not seen[device] then
    seen[device] = true
    devices[#devices + 1] = device
  end
end
for _, device in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if not seen[device] then
    seen[device] = true
    devices[#devices + 1] = device
  end
end
return devices
`,
);

/** KEYS: tenant listing, tenant pending. ARGV: prefix. Reply: {open sessions, pending slots}. */
export const COUNT_TENANT = script(
  'count-tenant',
  `
return {redis.call('ZCARD', LISTING_KEY), redis.call('ZCARD', PENDING_KEY)}
`,
);

/** Renews a lock only while this node still holds it. KEYS: lock. ARGV: token, ttl. Reply: 1 when renewed. */
export const RENEW_LOCK = new RedisScript(
  'renew-lock',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
);

/** Releases a lock only while this node still holds it. KEYS: lock. ARGV: token. */
export const RELEASE_LOCK = new RedisScript(
  'release-lock',
  `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/**
 * The last step of a rebuild: the table marker is set only while this node still holds the lock.
 * KEYS: lock, table marker. ARGV: token, marker value, marker ttl. Reply: 1 when set.
 */
export const FINISH_REBUILD = new RedisScript(
  'finish-rebuild',
  `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1
`,
);

export const ALL_SCRIPTS: readonly RedisScript[] = [
  ADMIT_DEVICE,
  START_SESSION,
  UPDATE_SESSION,
  STOP_SESSION,
  REMOVE_SESSION,
  CLAIM_STALE_SESSIONS,
  BEGIN_CLOSING_NAS,
  DRAIN_CLOSING_NAS,
  EXPIRE_PENDING_SLOTS,
  FIND_SESSION,
  LIST_TENANT_SESSIONS,
  LIST_NAS_SESSIONS,
  LIST_SUBJECT_SESSIONS,
  SUBJECT_DEVICES,
  COUNT_TENANT,
  RENEW_LOCK,
  RELEASE_LOCK,
  FINISH_REBUILD,
];
