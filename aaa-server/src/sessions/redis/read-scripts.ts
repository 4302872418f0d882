// The Lua scripts that read the session table for the control API, the reaper and metrics.
import { sessionScript as script } from './lua-prelude';
import { LISTING_PASSES_MAX } from './redis-limits';
import type { RedisScript } from './redis-script';

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

export const SESSION_READ_SCRIPTS: readonly RedisScript[] = [
  FIND_SESSION,
  LIST_TENANT_SESSIONS,
  LIST_NAS_SESSIONS,
  LIST_SUBJECT_SESSIONS,
  SUBJECT_DEVICES,
  COUNT_TENANT,
];
