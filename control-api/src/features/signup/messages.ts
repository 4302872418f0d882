// What a signing-up ISP receives: the SMS with its code and the email with its link (pure builders).
import { type Language, t } from '../../i18n';
import { escapeHtml } from '../../integrations/email/messages';
import type { EmailMessage } from '../../integrations/email/sender';
import { EMAIL_LINK_LIFETIME_MS, SMS_CODE_LIFETIME_MS, type SmsCodeOutcome } from './core';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** One short SMS (well under 160 GSM characters): the code first, so phones can offer to fill it in. */
export function signupCodeSms(code: string): string {
  return `${code} is your Kiunga sign-up code. It expires in ${SMS_CODE_LIFETIME_MS / MINUTE_MS} minutes.`;
}

export function signupEmailMessage(input: { to: string; ispName: string; verifyUrl: string }): EmailMessage {
  const hours = EMAIL_LINK_LIFETIME_MS / HOUR_MS;
  const text = [
    `Welcome to Kiunga, ${input.ispName}.`,
    '',
    `To confirm this email address, open this link within ${hours} hours. It works once:`,
    input.verifyUrl,
    '',
    'Your free trial starts when your phone and your email are both confirmed.',
    'If you did not sign up, ignore this email.',
  ].join('\n');
  const link = escapeHtml(input.verifyUrl);
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>Confirm your email</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>Welcome to Kiunga, ${escapeHtml(input.ispName)}.</p>
<p>To confirm this email address, open this link within ${hours} hours. It works once:<br><a href="${link}">${link}</a></p>
<p>Your free trial starts when your phone and your email are both confirmed. If you did not sign up, ignore this email.</p>
</body></html>`;
  return { to: input.to, subject: 'Confirm your email for Kiunga', text, html };
}

/** Why a typed phone code was refused: the verify page says it in the page's language (`signup.phone.*`). */
export type PhoneRefusal = Exclude<SmsCodeOutcome | 'no_code', 'verified'>;

export function phoneRefusalText(outcome: PhoneRefusal, language: Language): string {
  return t(language, `signup.phone.${outcome}`);
}

/**
 * The same in English for POST /api/v1/signup/verify-phone: the JSON API's messages stay English (its
 * contract: clients branch on `code` and `details.outcome`, and show their own words).
 */
export const PHONE_OUTCOME_TEXT: Readonly<Record<PhoneRefusal, string>> = {
  wrong_code: phoneRefusalText('wrong_code', 'en'),
  expired: phoneRefusalText('expired', 'en'),
  attempts_exhausted: phoneRefusalText('attempts_exhausted', 'en'),
  already_used: phoneRefusalText('already_used', 'en'),
  no_code: phoneRefusalText('no_code', 'en'),
};
