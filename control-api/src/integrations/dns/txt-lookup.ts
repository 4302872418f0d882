// DNS TXT lookups for custom-domain verification: through KIUNGA_DNS_SERVER (`host:port`) when set, else
// the system resolver; bounded in time; every DNS outcome is an answer, never a throw.
//
// Node's `dns.Resolver` (node:dns, "Class: dns.Resolver", Node 20): `new Resolver({timeout, tries})`,
// `setServers(['127.0.0.1:5353'])` takes IP addresses with an optional port (RFC 5952 brackets for IPv6),
// `resolveTxt(name)` answers `string[][]` — one array per TXT record, one string per <character-string>
// (RFC 1035 §3.3.14), which a reader joins (RFC 7208 §3.3 does the same for SPF) — and fails with
// `ENOTFOUND` (NXDOMAIN), `ENODATA` (no TXT at the name), `ESERVFAIL`, `EREFUSED`, `ETIMEOUT`,
// `ECONNREFUSED`, or `ECANCELLED` after `cancel()`.
import { Resolver } from 'node:dns';
import { isIP } from 'node:net';
import { z } from 'zod';

/** A verification lookup waits this long at most: a person is waiting on the "Verify" button. */
export const TXT_LOOKUP_TIMEOUT_MS = 5_000;
/** c-ares sends the query this many times (one retry over UDP, which loses packets) within the timeout. */
export const TXT_LOOKUP_TRIES = 2;
/** A verification record set holds one value; a name with more TXT records than this is not read further. */
export const TXT_RECORDS_MAX = 32;
/** One joined TXT record longer than this is not a verification value (ours is 46 characters). */
export const TXT_RECORD_CHARS_MAX = 4_096;

export type TxtLookupFailure =
  /** No answer within the timeout (the server dropped it, or the network did). */
  | 'timeout'
  /** SERVFAIL: the resolver could not get an answer (a broken delegation, DNSSEC failure). */
  | 'server_failure'
  /** REFUSED, or the resolver's port is closed. */
  | 'refused'
  /** Any other resolver error (a malformed answer, out of memory). */
  | 'error';

export type TxtLookupResult =
  /** Each TXT record at the name, its character-strings joined. */
  | { readonly kind: 'found'; readonly records: readonly string[] }
  /** NXDOMAIN or no TXT record at the name: an authoritative "nothing published". */
  | { readonly kind: 'not_found' }
  /** No authoritative answer: nothing can be concluded about the record. */
  | { readonly kind: 'failed'; readonly failure: TxtLookupFailure; readonly code: string };

export type TxtLookup = (name: string) => Promise<TxtLookupResult>;

export interface TxtLookupOptions {
  /** `host:port` (IPv6 as `[::1]:5353`), a bare IP (port 53), or null for the system resolver. */
  readonly server: string | null;
  readonly timeoutMs?: number;
  readonly tries?: number;
}

const PORT_MAX = 65_535;
const SERVER_ADDRESS_RULE = 'must be an IP address with an optional port, like 127.0.0.1:5353 or [::1]:5353';

/** Splits `host:port`; null when it is not an IP address with an optional port. */
function parseServerAddress(text: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(text);
  const match = bracketed ?? (isIP(text) === 6 ? [text, text, undefined] : plain);
  if (!match) return null;
  const host = match[1] ?? '';
  const port = match[2] === undefined ? 53 : Number.parseInt(match[2], 10);
  if (isIP(host) === 0 || port < 1 || port > PORT_MAX) return null;
  return { host, port };
}

/** KIUNGA_DNS_SERVER as configuration reads it: an IP address (not a name: who would resolve it?) and port. */
export const dnsServerAddressSchema = z
  .string()
  .trim()
  .refine((text) => parseServerAddress(text) !== null, { message: SERVER_ADDRESS_RULE });

/** The form `Resolver.setServers` takes: `1.2.3.4:53`, `[::1]:5353`. */
function resolverServerEntry(text: string): string {
  const address = parseServerAddress(text.trim());
  if (!address) throw new RangeError(`KIUNGA_DNS_SERVER ${SERVER_ADDRESS_RULE}`);
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function failureOf(code: string): TxtLookupResult {
  if (code === 'ENOTFOUND' || code === 'ENODATA') return { kind: 'not_found' };
  if (code === 'ETIMEOUT' || code === 'ECANCELLED') return { kind: 'failed', failure: 'timeout', code };
  if (code === 'ESERVFAIL') return { kind: 'failed', failure: 'server_failure', code };
  if (code === 'EREFUSED' || code === 'ECONNREFUSED') return { kind: 'failed', failure: 'refused', code };
  return { kind: 'failed', failure: 'error', code };
}

function joinedRecords(records: string[][]): string[] {
  return records
    .slice(0, TXT_RECORDS_MAX)
    .map((chunks) => chunks.join(''))
    .filter((record) => record.length <= TXT_RECORD_CHARS_MAX);
}

/**
 * A TXT lookup bound to one resolver configuration. Each call uses a fresh Resolver so a timed-out
 * query can be cancelled without touching others; the deadline holds even if c-ares retries longer.
 */
export function createTxtLookup(options: TxtLookupOptions): TxtLookup {
  const timeoutMs = options.timeoutMs ?? TXT_LOOKUP_TIMEOUT_MS;
  const tries = options.tries ?? TXT_LOOKUP_TRIES;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new RangeError('timeoutMs must be a positive integer');
  if (!Number.isInteger(tries) || tries < 1) throw new RangeError('tries must be at least 1');
  const servers = options.server === null ? null : [resolverServerEntry(options.server)];
  return (name) => {
    // c-ares's timeout is per try; the whole lookup gets timeoutMs.
    const resolver = new Resolver({ timeout: Math.max(1, Math.floor(timeoutMs / tries)), tries });
    if (servers) resolver.setServers(servers);
    return new Promise<TxtLookupResult>((resolve) => {
      const deadline = setTimeout(() => {
        resolver.cancel();
        resolve({ kind: 'failed', failure: 'timeout', code: 'ETIMEOUT' });
      }, timeoutMs);
      resolver.resolveTxt(name, (error, records) => {
        clearTimeout(deadline);
        resolve(
          error ? failureOf(error.code ?? 'UNKNOWN') : { kind: 'found', records: joinedRecords(records) },
        );
      });
    });
  };
}
