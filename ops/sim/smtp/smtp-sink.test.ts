// Kiunga's email sender against the SMTP sink over loopback: each message kind arrives as built, AUTH
// and TLS work, refusals come back as typed errors, and the password never shows in one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmailError,
  EmailSender,
  invoiceMessage,
  ownerAlertMessage,
  passwordResetMessage,
  passwordResetUrl,
} from '@kiunga/control-api/integrations/email';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

const FROM = '"Kiunga" <no-reply@kiunga.test>';
/** The smallest file that starts like a PDF; the sender checks only that. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink({ port: 0, rejectRecipients: ['gone@isp.test'] });
});

afterAll(async () => {
  await sink?.stop();
});

beforeEach(() => sink.reset());

async function rejection(promise: Promise<unknown>): Promise<EmailError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof EmailError)) throw new Error(`expected an EmailError, got ${String(error)}`);
  return error;
}

describe('EmailSender against the sink', () => {
  it('delivers a password reset whose single-use link is in both parts', async () => {
    const sender = new EmailSender({ smtpUrl: sink.url, from: FROM });
    const resetUrl = passwordResetUrl('https://kiunga.isp.test', 'tok_0123456789abcdef');
    const sent = await sender.send(
      passwordResetMessage({ to: 'Owner@ISP.test', resetUrl, validMinutes: 30, productName: 'Kiunga' }),
    );
    // nodemailer lower-cases the domain (it is case-insensitive, RFC 5321 Section 2.4), not the local part.
    expect(sent.accepted).toEqual(['Owner@isp.test']);
    const message = await sink.waitForMessage('owner@isp.test');
    expect(message).toMatchObject({
      from: 'no-reply@kiunga.test',
      to: ['owner@isp.test'],
      subject: 'Reset your Kiunga password',
      authenticatedAs: null,
    });
    expect(message.text).toContain('https://kiunga.isp.test/reset-password?token=tok_0123456789abcdef');
    expect(message.text).toMatch(/within 30 minutes\. It works once/);
    expect(message.html).toContain(
      'href="https://kiunga.isp.test/reset-password?token=tok_0123456789abcdef"',
    );
    sender.close();
  });

  it('delivers an invoice with its PDF attached, byte for byte', async () => {
    const sender = new EmailSender({ smtpUrl: sink.url, from: FROM });
    await sender.send(
      invoiceMessage({
        to: 'wanjiku@mail.test',
        ispName: 'Nyumbani Net',
        subscriberName: 'Wanjiku',
        invoiceNumber: 'INV-2030-0042',
        amountCents: 150_000,
        dueAt: Date.UTC(2030, 0, 31, 21),
        paymentInstructions: 'Paybill 123456, account ACC-1001',
        pdf: PDF,
      }),
    );
    const message = await sink.waitForMessage('wanjiku@mail.test');
    expect(message.subject).toBe('Invoice INV-2030-0042 from Nyumbani Net: Ksh 1,500.00 due 2030-02-01');
    expect(message.attachments).toEqual([
      {
        filename: 'invoice-INV-2030-0042.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        content: PDF,
      },
    ]);
    expect(message.text).toContain('Paybill 123456, account ACC-1001');
    sender.close();
  });

  it('delivers an owner alert as plain text and escaped HTML', async () => {
    const sender = new EmailSender({ smtpUrl: sink.url, from: FROM });
    await sender.send(
      ownerAlertMessage({
        to: 'owner@isp.test',
        ispName: 'Nyumbani Net',
        title: 'NAS Tower A is down',
        lines: ['No accounting since 09:12.', 'Router said: <script>alert(1)</script>'],
        consoleUrl: 'https://kiunga.isp.test/isp/nas',
      }),
    );
    const message = await sink.waitForMessage('owner@isp.test');
    expect(message.subject).toBe('[Nyumbani Net] NAS Tower A is down');
    expect(message.text).toContain('Router said: <script>alert(1)</script>');
    expect(message.html).toContain('Router said: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(message.html).not.toContain('<script>');
    sender.close();
  });

  it('reports a refused recipient as rejected, not retryable', async () => {
    const sender = new EmailSender({ smtpUrl: sink.url, from: FROM });
    const error = await rejection(sender.send({ to: 'gone@isp.test', subject: 'Hello', text: 'Hello' }));
    expect(error.kind).toBe('rejected');
    expect(error.isRetryable).toBe(false);
    expect(sink.messages()).toEqual([]);
    sender.close();
  });

  it('refuses a message it should never send: two recipients, a header in the subject', async () => {
    const sender = new EmailSender({ smtpUrl: sink.url, from: FROM });
    expect((await rejection(sender.send({ to: 'a@x.test, b@x.test', subject: 'x', text: 'x' }))).kind).toBe(
      'invalid_request',
    );
    expect(
      (await rejection(sender.send({ to: 'a@x.test', subject: 'x\r\nBcc: b@x.test', text: 'x' }))).kind,
    ).toBe('invalid_request');
    sender.close();
  });

  it('reports a server that is not there as a retryable connection failure', async () => {
    const gone = await startSmtpSink({ port: 0 });
    await gone.stop();
    const sender = new EmailSender({ smtpUrl: gone.url, from: FROM });
    const error = await rejection(sender.send({ to: 'a@x.test', subject: 'x', text: 'x' }));
    expect(error).toMatchObject({ kind: 'connection', isRetryable: true });
    sender.close();
  });
});

describe('AUTH and TLS', () => {
  it('authenticates with the URL credentials and never shows the password in an error', async () => {
    const guarded = await startSmtpSink({
      port: 0,
      users: [{ username: 'kiunga@isp.test', password: 'right-pass' }],
    });
    try {
      const base = `smtp://kiunga%40isp.test:%s@127.0.0.1:${guarded.port}`;
      const wrong = new EmailSender({ smtpUrl: base.replace('%s', 'Wr0ng-S3cret'), from: FROM });
      const error = await rejection(wrong.send({ to: 'a@x.test', subject: 'x', text: 'x' }));
      expect(error.kind).toBe('authentication');
      expect(`${error.message} ${String(error.cause)} ${wrong.description}`).not.toContain('Wr0ng-S3cret');
      expect(wrong.description).toBe(`smtp://kiunga%40isp.test@127.0.0.1:${guarded.port}`);
      wrong.close();
      const right = new EmailSender({ smtpUrl: base.replace('%s', 'right-pass'), from: FROM });
      await right.send({ to: 'a@x.test', subject: 'x', text: 'x' });
      expect((await guarded.waitForMessage('a@x.test')).authenticatedAs).toBe('kiunga@isp.test');
      right.close();
    } finally {
      await guarded.stop();
    }
  });

  it('speaks smtps to a server whose certificate it trusts, and refuses one it does not', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kiunga-smtps-'));
    try {
      // A throwaway self-signed certificate for 127.0.0.1, made by the system's openssl.
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(directory, 'key.pem'),
          '-out',
          join(directory, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const key = readFileSync(join(directory, 'key.pem'), 'utf8');
      const cert = readFileSync(join(directory, 'cert.pem'), 'utf8');
      const secure = await startSmtpSink({ port: 0, tls: { key, cert } });
      try {
        const trusting = new EmailSender({ smtpUrl: secure.url, from: FROM, trustedCertificates: cert });
        await trusting.send({ to: 'tls@x.test', subject: 'x', text: 'x' });
        expect((await secure.waitForMessage('tls@x.test')).isSecure).toBe(true);
        trusting.close();
        const untrusting = new EmailSender({ smtpUrl: secure.url, from: FROM });
        expect((await rejection(untrusting.send({ to: 'no@x.test', subject: 'x', text: 'x' }))).kind).toBe(
          'connection',
        );
        untrusting.close();
      } finally {
        await secure.stop();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
