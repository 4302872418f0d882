// The Lua scripts that change the session table inside Redis, each one atomic step.

import { sessionScript as script } from './lua-prelude';
import { CLOSING_SET_TTL_MS } from './redis-limits';
import type { RedisScript } from './redis-script';

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
local function holdSlot(isRoomChecked)
  -- A known device without room for a slot is still admitted; it simply holds no slot.
  if not hasSlot and not isRoomChecked and isPendingFull(nowMs, pendingSlotsMax) then return end
  redis.call('ZADD', pendingKey, expiresAtMs, device)
  redis.call('ZADD', PENDING_KEY, expiresAtMs, subjectReference .. SEPARATOR .. device)
  redis.call('PEXPIRE', pendingKey, PENDING_KEY_TTL_MS)
  redis.call('PEXPIRE', PENDING_KEY, PENDING_KEY_TTL_MS)
end

if devices[device] then
  holdSlot(false)
  return {'known', devicesInUse}
end
if devicesInUse >= deviceLimit then return {'device_limit', devicesInUse} end
if redis.call('ZCARD', LISTING_KEY) >= openSessionsMax or isPendingFull(nowMs, pendingSlotsMax) then
  return {'table_full', devicesInUse}
end
holdSlot(true)
return {'admitted', devicesInUse}
`,
);

/**
 * The accounting changes as Lua functions, shared by their own scripts and by APPLY_SESSION_CHANGES
 * (one script for every change of a commit group). Each returns what its script replies.
 *
 * startSessionStep - Accounting-Start (or, with isRestore, a session loaded by a rebuild, which skips
 * the ready check); input is the SESSION_FIELDS values (framedIp '' when none). Reply: {not_ready} |
 * {table_full} | {conflict} | {retransmit, ...fields} | {started, ...fields}.
 * updateSessionStep - Interim-Update: refreshes counters, the silence deadline and key lifetimes; framedIp
 * is set when setFramedIp is '1'. Reply: fields, or false (nil) when unknown.
 * stopSessionStep - Accounting-Stop. Reply: fields, or false (nil) when unknown.
 */
const ACCOUNTING_STEPS = `
local function larger(current, candidate)
  if tonumber(candidate) > tonumber(current) then return candidate end
  return current
end

local function startSessionStep(isRestore, openSessionsMax, input)
  if not isRestore and redis.call('EXISTS', READY_KEY) == 0 then return {'not_ready'} end
  local ref = input[NAS_ID] .. ':' .. input[ACCT_SESSION_ID]
  local existing = readSession(ref)

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
end

local function updateSessionStep(nasId, acctSessionId, lastUpdateMs, inputOctets, outputOctets, setFramedIp, framedIp)
  local ref = nasId .. ':' .. acctSessionId
  local values = readSession(ref)
  if not values then return false end
  values[LAST_UPDATE_MS], values[INPUT_OCTETS], values[OUTPUT_OCTETS] = lastUpdateMs, inputOctets, outputOctets
  if setFramedIp == '1' then values[FRAMED_IP] = framedIp end
  redis.call('HSET', sessionKey(ref), 'lastUpdateMs', values[LAST_UPDATE_MS], 'inputOctets', values[INPUT_OCTETS],
    'outputOctets', values[OUTPUT_OCTETS], 'framedIp', values[FRAMED_IP])
  keepSessionAlive(ref, values)
  return values
end

local function stopSessionStep(nasId, acctSessionId)
  local ref = nasId .. ':' .. acctSessionId
  local values = readSession(ref)
  if not values then return false end
  removeSessionRecord(ref, values)
  return values
end
`;

/**
 * Accounting-Start (or, with restore = '1', a session loaded by a rebuild, which skips the ready check).
 * KEYS: session, tenant listing, tenant stale, NAS set, subject sessions, subject pending, tenant pending, tenant ready.
 * ARGV: prefix, restore, open sessions max, then the SESSION_FIELDS values (framedIp '' when none).
 * Reply: as startSessionStep.
 */
export const START_SESSION = script(
  'start-session',
  `${ACCOUNTING_STEPS}
local input = {}
for index = 1, #FIELDS do input[index] = ARGV[3 + index] end
return startSessionStep(ARGV[2] == '1', tonumber(ARGV[3]), input)
`,
);

/** What APPLY_SESSION_CHANGES takes after each change's letter, and how many values. */
export const SESSION_CHANGE_KINDS = {
  /** 's', then the SESSION_FIELDS values: a live Start. */
  start: 's',
  /** 'u', then NAS id, Acct-Session-Id, lastUpdateMs, inputOctets, outputOctets, setFramedIp, framedIp. */
  update: 'u',
  /** 'x', then NAS id, Acct-Session-Id. */
  stop: 'x',
  /** 'U', then as 'u'; replies 1 (known) or 0 instead of the session's fields. */
  leanUpdate: 'U',
  /** 'X', then as 'x'; replies 1 (was open) or 0 instead of the session's fields. */
  leanStop: 'X',
} as const;

/**
 * Several Starts, Interim-Updates and Stops of one tenant, in order, as one script: a commit group's
 * changes cost Redis one script run instead of one per record (issue 11). Scripts are atomic, so the
 * changes of one run are applied together, each exactly as its own script would.
 * KEYS: tenant listing (routes the call to the tenant's slot; every key used carries the tenant's tag).
 * ARGV: prefix, open sessions max, then each change: its letter (SESSION_CHANGE_KINDS) and its values.
 * Reply: one reply per change, in order, each as that change's own script replies (the lean kinds: 1 or 0).
 */
export const APPLY_SESSION_CHANGES = script(
  'apply-session-changes',
  `${ACCOUNTING_STEPS}
local openSessionsMax = tonumber(ARGV[2])
local replies = {}
local at = 3
while at <= #ARGV do
  local kind = ARGV[at]
  if kind == '${SESSION_CHANGE_KINDS.start}' then
    local input = {}
    for index = 1, #FIELDS do input[index] = ARGV[at + index] end
    replies[#replies + 1] = startSessionStep(false, openSessionsMax, input)
    at = at + 1 + #FIELDS
  elseif kind == '${SESSION_CHANGE_KINDS.update}' then
    replies[#replies + 1] = updateSessionStep(ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5],
      ARGV[at + 6], ARGV[at + 7])
    at = at + 8
  elseif kind == '${SESSION_CHANGE_KINDS.stop}' then
    replies[#replies + 1] = stopSessionStep(ARGV[at + 1], ARGV[at + 2])
    at = at + 3
  elseif kind == '${SESSION_CHANGE_KINDS.leanUpdate}' then
    local values = updateSessionStep(ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5],
      ARGV[at + 6], ARGV[at + 7])
    replies[#replies + 1] = values and 1 or 0
    at = at + 8
  elseif kind == '${SESSION_CHANGE_KINDS.leanStop}' then
    replies[#replies + 1] = stopSessionStep(ARGV[at + 1], ARGV[at + 2]) and 1 or 0
    at = at + 3
  else
    return redis.error_reply('unknown session change ' .. tostring(kind))
  end
end
return replies
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

export const SESSION_CHANGE_SCRIPTS: readonly RedisScript[] = [
  ADMIT_DEVICE,
  START_SESSION,
  APPLY_SESSION_CHANGES,
  REMOVE_SESSION,
  CLAIM_STALE_SESSIONS,
  BEGIN_CLOSING_NAS,
  DRAIN_CLOSING_NAS,
  EXPIRE_PENDING_SLOTS,
];
