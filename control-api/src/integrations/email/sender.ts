// A typed email sender over nodemailer's SMTP transport, configured from KIUNGA_SMTP_URL. Bounded
// timeouts, TLS required off loopback, nodemailer's logger off (it would print the AUTH exchange), and
// errors that never carry the password.
import { createTransport, type Transporter } from 'nodemailer';
import { EmailError } from './errors';
import { describeSmtpServer, parseSmtpUrl, type SmtpServer } from './smtp-url';

/** A mail server that has not accepted the connection in 10 s will not; the job retries later. */
export const CONNECTION_TIMEOUT_MS = 10_000;
/** RFC 5321 Section 4.5.3.2 gives servers 5 minutes for the greeting; a submission server answers at once. */
export const GREETING_TIMEOUT_MS = 10_000;
/** Silence this long mid-conversation ends the attempt (an invoice PDF is sent in well under this). */
export const SOCKET_TIMEOUT_MS = 30_000;
/** Attachments Kiunga sends (invoice PDFs) stay far below common 10–25 MB server limits. */
export const ATTACHMENT_BYTES_MAX = 5 * 1024 * 1024;
/** One recipient per message: every mail Kiunga sends is personal (a reset link, an invoice). */
const ADDRESS = /^[^\s@<>(),;:"\\]{1,64}@[^\s@<>(),;:"\\]{1,253}$/;

export interface EmailAttachment {
  readonly filename: string;
  readonly content: Buffer;
  readonly contentType: string;
}

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly EmailAttachment[];
  readonly replyTo?: string;
}

export interface SentEmail {
  readonly messageId: string;
  readonly accepted: string[];
  readonly rejected: string[];
}

export interface EmailSenderOptions {
  /** KIUNGA_SMTP_URL. */
  readonly smtpUrl: string;
  /** The From header: `"Kiunga" <no-reply@isp.example>`. */
  readonly from: string;
  /** Extra trusted CA certificates in PEM (a private mail server; tests). */
  readonly trustedCertificates?: string;
}

export class EmailSender {
  private readonly server: SmtpServer;
  private readonly from: string;
  private readonly transport: Transporter;

  constructor(options: EmailSenderOptions) {
    this.server = parseSmtpUrl(options.smtpUrl);
    this.from = options.from;
    this.transport = createTransport({
      host: this.server.host,
      port: this.server.port,
      secure: this.server.isImplicitTls,
      requireTLS: !this.server.isImplicitTls && !this.server.isLoopback,
      ...(this.server.username === null
        ? {}
        : { auth: { user: this.server.username, pass: this.server.password ?? '' } }),
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      greetingTimeout: GREETING_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      ...(options.trustedCertificates === undefined ? {} : { tls: { ca: options.trustedCertificates } }),
      logger: false,
      debug: false,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  /** Where mail goes, for logs: the URL without its password. */
  get description(): string {
    return describeSmtpServer(this.server);
  }

  async send(message: EmailMessage): Promise<SentEmail> {
    checkMessage(message);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
        attachments: (message.attachments ?? []).map((attachment) => ({
          filename: attachment.filename,
          content: attachment.content,
          contentType: attachment.contentType,
        })),
      });
      return {
        messageId: String(info.messageId),
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
      };
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** Connects and authenticates without sending: a settings page's "test connection". */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw this.translate(error);
    }
  }

  close(): void {
    this.transport.close();
  }

  private translate(error: unknown): EmailError {
    const failure = error as { code?: string; responseCode?: number; response?: string; message?: string };
    const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
    const details = {
      ...(responseCode === undefined ? {} : { responseCode }),
      cause: redacted(error, this.server),
    };
    const reply = typeof failure.response === 'string' ? `: ${failure.response.slice(0, 200)}` : '';
    switch (failure.code) {
      case 'EAUTH':
      case 'ENOAUTH':
        return new EmailError(
          'authentication',
          `${this.description} refused the SMTP username or password`,
          details,
        );
      case 'EENVELOPE':
      case 'EMESSAGE':
        return new EmailError('rejected', `${this.description} refused the message${reply}`, details);
      case 'ETIMEDOUT':
        return new EmailError('timeout', `${this.description} did not answer in time`, details);
      default:
        if (responseCode !== undefined && responseCode >= 500) {
          return new EmailError('rejected', `${this.description} refused the message${reply}`, details);
        }
        return new EmailError('connection', `could not deliver through ${this.description}${reply}`, details);
    }
  }
}

function checkMessage(message: EmailMessage): void {
  if (!ADDRESS.test(message.to))
    throw new EmailError('invalid_request', 'the recipient is not one email address');
  if (message.replyTo !== undefined && !ADDRESS.test(message.replyTo)) {
    throw new EmailError('invalid_request', 'the reply-to is not one email address');
  }
  if (/[\r\n]/.test(message.subject) || message.subject.trim() === '') {
    throw new EmailError('invalid_request', 'a subject is one non-empty line');
  }
  const attachmentBytes = (message.attachments ?? []).reduce((total, item) => total + item.content.length, 0);
  if (attachmentBytes > ATTACHMENT_BYTES_MAX) {
    throw new EmailError('invalid_request', `attachments are at most ${ATTACHMENT_BYTES_MAX} bytes together`);
  }
}

/** The cause kept on our error, its message cleaned of the password should a library ever echo it. */
function redacted(error: unknown, server: SmtpServer): unknown {
  if (!(error instanceof Error) || server.password === null || server.password === '') return error;
  if (!error.message.includes(server.password)) return error;
  return new Error(error.message.split(server.password).join('***'));
}
