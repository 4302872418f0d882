// KIUNGA_SMTP_URL: `smtp://user:password@host:587` (STARTTLS) or `smtps://user:password@host:465`
// (TLS from the first byte, RFC 8314 Section 3.3), parsed once and checked; credentials URL-decoded.
import { isIP } from 'node:net';
import { EmailError } from './errors';

/** RFC 8314 Section 3.3 (implicit TLS, submissions) and RFC 6409 Section 3.1 (message submission). */
export const SMTPS_DEFAULT_PORT = 465;
export const SUBMISSION_DEFAULT_PORT = 587;

export interface SmtpServer {
  /** smtps: TLS from the start; smtp: STARTTLS, required unless the host is loopback (a local sink). */
  readonly isImplicitTls: boolean;
  readonly host: string;
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly isLoopback: boolean;
}

export function parseSmtpUrl(text: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EmailError('invalid_request', 'KIUNGA_SMTP_URL is not a URL (smtp://user:password@host:587)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new EmailError('invalid_request', 'KIUNGA_SMTP_URL must start with smtp:// or smtps://');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new EmailError('invalid_request', 'KIUNGA_SMTP_URL has no host');
  const isImplicitTls = url.protocol === 'smtps:';
  const port =
    url.port === '' ? (isImplicitTls ? SMTPS_DEFAULT_PORT : SUBMISSION_DEFAULT_PORT) : Number(url.port);
  const username = url.username === '' ? null : decodeURIComponent(url.username);
  const password = url.password === '' ? null : decodeURIComponent(url.password);
  if (password !== null && username === null) {
    throw new EmailError('invalid_request', 'KIUNGA_SMTP_URL has a password but no username');
  }
  return { isImplicitTls, host, port, username, password, isLoopback: isLoopbackHost(host) };
}

/** The URL for logs and error messages: never the password. */
export function describeSmtpServer(server: SmtpServer): string {
  const user = server.username === null ? '' : `${encodeURIComponent(server.username)}@`;
  const host = isIP(server.host) === 6 ? `[${server.host}]` : server.host;
  return `${server.isImplicitTls ? 'smtps' : 'smtp'}://${user}${host}:${server.port}`;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
