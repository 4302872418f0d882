// Safaricom's rules for the URLs Daraja posts to (STK CallBackURL, C2B confirmation/validation, ResultURL), as pure checks.
//
// Source: Safaricom Daraja, "Customer To Business (C2B)" (developer.safaricom.co.ke/apis/CustomerToBusiness),
// section "URL Requirements" and FAQ 8: "Production URLs must be HTTPS; Sandbox allows HTTP" and "Avoid
// using keywords such as M-PESA, M-Pesa, mpesa, Safaricom, exe, exec, cmd, sql, query, or any of their
// variants in your URLs". The older Register URL page adds that these pointers "also apply to the
// Callback URLs used on other APIs", and that "any Localhost URL will be refused".

/**
 * The words Daraja filters out of URLs, lower case; a URL is compared in lower case, so every casing
 * ("MPESA", "Query") is caught. "exec" is listed by Safaricom but already contains "exe".
 */
export const DARAJA_FILTERED_URL_WORDS = [
  'm-pesa',
  'mpesa',
  'safaricom',
  'exe',
  'exec',
  'cmd',
  'sql',
  'query',
] as const;

/** The first word Daraja filters that `url` contains, in any case; null when it contains none. */
export function filteredWordIn(url: string): string | null {
  const lower = url.toLowerCase();
  return DARAJA_FILTERED_URL_WORDS.find((word) => lower.includes(word)) ?? null;
}

/** 127.0.0.0/8, ::1 and localhost: a simulator on this machine, never Safaricom. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

/** Whether `baseUrl` (KIUNGA_MPESA_BASE_URL) points at a simulator on this machine rather than Safaricom. */
export function isLoopbackBaseUrl(baseUrl: string): boolean {
  try {
    return isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

export type CallbackUrlProblem =
  | { readonly reason: 'not_absolute' }
  /** Plain http while Daraja is the real one: production Daraja refuses it. */
  | { readonly reason: 'insecure'; readonly origin: string }
  /** A loopback host while Daraja is the real one: Safaricom cannot reach it and refuses localhost. */
  | { readonly reason: 'unreachable'; readonly origin: string }
  | { readonly reason: 'filtered_word'; readonly word: string };

/**
 * What Daraja at `darajaBaseUrl` would refuse about `url`, or null when it is fine. Against a simulator
 * on loopback (tests, the demo) plain http and loopback hosts are allowed; the word filter always applies.
 * The origin (scheme, host, port) is reported, never the path, which carries the callback's secret token.
 */
export function callbackUrlProblem(url: string, darajaBaseUrl: string): CallbackUrlProblem | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { reason: 'not_absolute' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { reason: 'not_absolute' };
  const word = filteredWordIn(url);
  if (word !== null) return { reason: 'filtered_word', word };
  if (isLoopbackBaseUrl(darajaBaseUrl)) return null;
  if (parsed.protocol !== 'https:') return { reason: 'insecure', origin: parsed.origin };
  if (isLoopbackHost(parsed.hostname)) return { reason: 'unreachable', origin: parsed.origin };
  return null;
}

/** What the operator reads: which rule, and what to change (the callback URLs are built on KIUNGA_PUBLIC_URL). */
export function describeCallbackUrlProblem(problem: CallbackUrlProblem): string {
  switch (problem.reason) {
    case 'not_absolute':
      return 'The M-Pesa callback URL is not an absolute http(s) URL: check KIUNGA_PUBLIC_URL.';
    case 'insecure':
      return `Daraja accepts only https callback URLs, and this server's are ${problem.origin}: set KIUNGA_PUBLIC_URL to the server's public https address.`;
    case 'unreachable':
      return `Daraja cannot reach ${problem.origin} and refuses local addresses: set KIUNGA_PUBLIC_URL to the server's public https address.`;
    case 'filtered_word':
      return `The M-Pesa callback URL contains "${problem.word}", a word Daraja filters out of URLs: choose a KIUNGA_PUBLIC_URL without it.`;
  }
}
