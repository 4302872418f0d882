// Where mail goes: KIUNGA_SMTP_URL and the From address, validated at start; absent = email off.
import { parseSmtpUrl } from '../../integrations/email/smtp-url';

export interface EmailConfig {
  /** KIUNGA_SMTP_URL: smtp://user:password@host:587 (STARTTLS) or smtps://…:465 (implicit TLS). */
  readonly smtpUrl: string;
  /** KIUNGA_SMTP_FROM, or `"Kiunga" <no-reply@<host of the public URL>>`. */
  readonly from: string;
}

/** The From address when KIUNGA_SMTP_FROM is unset: no-reply at the platform's own host name. */
export function defaultFromAddress(publicUrl: string): string {
  return `"Kiunga" <no-reply@${new URL(publicUrl).hostname}>`;
}

/** Checks the URL (throws EmailError naming what is wrong, never the password); null when unset. */
export function readEmailConfig(
  smtpUrl: string | undefined,
  from: string | undefined,
  publicUrl: string,
): EmailConfig | null {
  if (smtpUrl === undefined || smtpUrl === '') return null;
  parseSmtpUrl(smtpUrl);
  return { smtpUrl, from: from ?? defaultFromAddress(publicUrl) };
}
