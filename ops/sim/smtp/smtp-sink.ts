// An SMTP sink for tests and the demo, on loopback: a real SMTP server (npm smtp-server) that accepts
// mail, parses every message (npm mailparser) and keeps it to be asked for by recipient. Like a
// submission server (RFC 6409) it can demand AUTH, refuse recipients with 550, cap message size and
// speak implicit TLS (RFC 8314) with a certificate it is given.
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** Kiunga's largest mail is an invoice with its PDF (≤ 5 MB); 10 MB is a common submission limit. */
export const MESSAGE_BYTES_MAX = 10 * 1024 * 1024;
/** Messages kept; past this the oldest are dropped (a test sends a handful). */
export const RECORDED_MESSAGES_MAX = 1_000;
/** How long waitForMessage waits by default: a local delivery takes milliseconds. */
export const WAIT_TIMEOUT_MS = 5_000;
const WAIT_POLL_MS = 20;

export interface SinkAttachment {
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
  readonly content: Buffer;
}

export interface SinkMessage {
  /** The SMTP envelope (MAIL FROM / RCPT TO), lower-cased. */
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly attachments: readonly SinkAttachment[];
  readonly messageId: string | null;
  /** The AUTH username the client used, null without AUTH. */
  readonly authenticatedAs: string | null;
  readonly isSecure: boolean;
  readonly raw: string;
}

export interface SmtpSinkOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** When given, AUTH PLAIN/LOGIN with these is required before MAIL FROM. */
  readonly users?: readonly { readonly username: string; readonly password: string }[];
  /** Implicit TLS (smtps) with this key and certificate. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Recipients answered 550 (mailbox unavailable). */
  readonly rejectRecipients?: readonly string[];
}

export interface SmtpSink {
  readonly port: number;
  /** KIUNGA_SMTP_URL for a client without credentials. */
  readonly url: string;
  messages(): SinkMessage[];
  messagesTo(address: string): SinkMessage[];
  /** Connections that ended in an error (a client refusing the certificate, a dropped socket). */
  connectionErrors(): number;
  /** The first message to `address`, waiting for it to arrive. */
  waitForMessage(address: string, timeoutMs?: number): Promise<SinkMessage>;
  reset(): void;
  stop(): Promise<void>;
}

function addressesOf(field: unknown): string[] {
  const objects = Array.isArray(field) ? field : field === undefined ? [] : [field];
  return objects.flatMap((object: { value?: { address?: string }[] }) =>
    (object.value ?? []).map((entry) => (entry.address ?? '').toLowerCase()),
  );
}

export async function startSmtpSink(options: SmtpSinkOptions): Promise<SmtpSink> {
  const host = options.host ?? '127.0.0.1';
  if (!host.startsWith('127.') && host !== 'localhost')
    throw new Error('the SMTP sink listens on loopback only');
  const messages: SinkMessage[] = [];
  const rejected = new Set((options.rejectRecipients ?? []).map((address) => address.toLowerCase()));
  const users = options.users ?? [];
  const serverOptions: SMTPServerOptions = {
    secure: options.tls !== undefined,
    ...(options.tls === undefined ? {} : { key: options.tls.key, cert: options.tls.cert }),
    // No STARTTLS on the plain sink: it has no certificate a client would trust.
    disabledCommands: users.length === 0 ? ['AUTH', 'STARTTLS'] : ['STARTTLS'],
    authOptional: users.length === 0,
    allowInsecureAuth: true,
    size: MESSAGE_BYTES_MAX,
    logger: false,
    onAuth(auth, _session, callback) {
      const user = users.find(
        (candidate) => candidate.username === auth.username && candidate.password === auth.password,
      );
      if (user === undefined)
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      else callback(null, { user: user.username });
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        callback(Object.assign(new Error(`${address.address}: mailbox unavailable`), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '',
              envelopeTo: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
              from: addressesOf(parsed.from)[0] ?? '',
              to: addressesOf(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : null,
              attachments: parsed.attachments.map((attachment) => ({
                filename: attachment.filename ?? null,
                contentType: attachment.contentType,
                size: attachment.size,
                content: attachment.content,
              })),
              messageId: parsed.messageId ?? null,
              authenticatedAs: typeof session.user === 'string' ? session.user : null,
              isSecure: session.secure,
              raw: raw.toString('utf8'),
            });
            if (messages.length > RECORDED_MESSAGES_MAX) messages.shift();
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  let connectionErrors = 0;
  // A client that drops a connection (a TLS handshake it does not trust) is counted, not fatal.
  server.on('error', () => {
    connectionErrors += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  const messagesTo = (address: string) =>
    messages.filter((message) => message.envelopeTo.includes(address.toLowerCase()));
  return {
    port,
    url: `${options.tls === undefined ? 'smtp' : 'smtps'}://${host}:${port}`,
    messages: () => [...messages],
    messagesTo,
    connectionErrors: () => connectionErrors,
    async waitForMessage(address, timeoutMs = WAIT_TIMEOUT_MS) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messagesTo(address)[0];
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no message to ${address} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
    },
    reset: () => {
      messages.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
