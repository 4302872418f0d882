// One spelling per device: MikroTik, Cisco and portal forms of a MAC must count as the same device.

// MikroTik's own spelling ('AA:BB:…'): the common case, made lower-case without any splitting.
const COLON_MAC_PATTERN = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i;
const MAC_SEPARATORS_PATTERN = /[-:.\s]/g;
const BARE_MAC_PATTERN = /^[0-9a-f]{12}$/;
const OCTET_PAIRS_PATTERN = /[0-9a-f]{2}/g;

/**
 * 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff' and 'AABBCCDDEEFF' all become 'aa:bb:cc:dd:ee:ff'. A value that
 * is not a MAC (some NAS send a phone number or an IP) is only trimmed and lower-cased, so it still
 * compares equal to itself.
 */
export function normalizeCallingStationId(callingStationId: string): string {
  // toLowerCase returns the very same string when nothing changes: no new string per packet.
  if (COLON_MAC_PATTERN.test(callingStationId)) return callingStationId.toLowerCase();
  const lowerCase = callingStationId.trim().toLowerCase();
  const hexDigits = lowerCase.replace(MAC_SEPARATORS_PATTERN, '');
  if (!BARE_MAC_PATTERN.test(hexDigits)) return lowerCase;
  // join() yields one flat string, where concatenation would keep a tree of pieces alive per session.
  return (hexDigits.match(OCTET_PAIRS_PATTERN) ?? []).join(':');
}
