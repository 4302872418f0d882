import { describe, expect, it } from 'vitest';
import { EmailError } from './errors';
import {
  escapeHtml,
  formatEastAfricaDate,
  invoiceMessage,
  ownerAlertMessage,
  passwordResetMessage,
  passwordResetUrl,
} from './messages';
import { describeSmtpServer, parseSmtpUrl } from './smtp-url';

describe('parseSmtpUrl', () => {
  it('reads smtp and smtps URLs with their default ports and decoded credentials', () => {
    expect(parseSmtpUrl('smtps://mailer%40isp.test:p%40ss@mail.isp.test')).toEqual({
      isImplicitTls: true,
      host: 'mail.isp.test',
      port: 465,
      username: 'mailer@isp.test',
      password: 'p@ss',
      isLoopback: false,
    });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525')).toMatchObject({
      port: 2525,
      isLoopback: true,
      username: null,
    });
    expect(parseSmtpUrl('smtp://mail.isp.test')).toMatchObject({ port: 587, isImplicitTls: false });
  });

  it('refuses other schemes, a missing host, or a password without a user', () => {
    for (const url of ['http://mail.isp.test', 'smtp://', 'smtp://:secret@mail.isp.test', 'nonsense']) {
      expect(() => parseSmtpUrl(url), url).toThrow(EmailError);
    }
  });

  it('describes the server without its password', () => {
    const server = parseSmtpUrl('smtp://mailer:SuperSecret@[::1]:2525');
    expect(describeSmtpServer(server)).toBe('smtp://mailer@[::1]:2525');
  });
});

describe('message builders', () => {
  it('builds the reset link of the contract and refuses odd tokens', () => {
    expect(passwordResetUrl('https://kiunga.isp.test/base/', 'abcDEF0123456789_-')).toBe(
      'https://kiunga.isp.test/reset-password?token=abcDEF0123456789_-',
    );
    expect(() => passwordResetUrl('https://kiunga.isp.test', 'short')).toThrow(RangeError);
    expect(() => passwordResetUrl('https://kiunga.isp.test', `${'a'.repeat(20)}&evil=1`)).toThrow(RangeError);
  });

  it('escapes what it puts into HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const message = passwordResetMessage({
      to: 'o@x.test',
      resetUrl: 'https://k.test/reset-password?token=a&b',
      validMinutes: 30,
      productName: 'Net <b>',
    });
    expect(message.html).toContain('href="https://k.test/reset-password?token=a&amp;b"');
    expect(message.html).toContain('Net &lt;b&gt;');
  });

  it('dates invoices in East Africa Time and attaches only PDFs', () => {
    expect(formatEastAfricaDate(Date.UTC(2030, 0, 31, 21))).toBe('2030-02-01');
    const input = {
      to: 'w@x.test',
      ispName: 'Net',
      subscriberName: 'W',
      invoiceNumber: 'INV/7',
      amountCents: 4_950,
      dueAt: Date.UTC(2030, 0, 1),
      paymentInstructions: 'Paybill 1',
    };
    const message = invoiceMessage({ ...input, pdf: Buffer.from('%PDF-1.7\n') });
    expect(message.subject).toBe('Invoice INV/7 from Net: Ksh 49.50 due 2030-01-01');
    expect(message.attachments?.[0]?.filename).toBe('invoice-INV_7.pdf');
    expect(() => invoiceMessage({ ...input, pdf: Buffer.from('<html>') })).toThrow(EmailError);
  });

  it('keeps alerts short and folds a multi-line title into the subject', () => {
    const message = ownerAlertMessage({ to: 'o@x.test', ispName: 'Net', title: 'NAS\ndown', lines: ['a'] });
    expect(message.subject).toBe('[Net] NAS down');
    expect(() =>
      ownerAlertMessage({
        to: 'o@x.test',
        ispName: 'Net',
        title: 't',
        lines: Array.from({ length: 21 }, () => 'x'),
      }),
    ).toThrow(EmailError);
  });
});
