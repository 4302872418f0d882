// What a signing-up ISP receives: the SMS with its code and the email with its link (pure builders).
import { type Language, t } from '../../i18n';
import { escapeHtml } from '../../integrations/email/messages';
import type { EmailMessage } from '../../integrations/email/sender';
import { EMAIL_LINK_LIFETIME_MS, SMS_CODE_LIFETIME_MS, type SmsCodeOutcome } from './core';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** One short SMS (well under 160 GSM characters): the code first, so phones can offer to fill it in. */
export function signupCodeSms(code: string, language: Language = 'en'): string {
  return t(language, 'signup.sms.code', { code, minutes: SMS_CODE_LIFETIME_MS / MINUTE_MS });
}

export function signupEmailMessage(input: {
  to: string;
  ispName: string;
  verifyUrl: string;
  language?: Language;
}): EmailMessage {
  const language = input.language ?? 'en';
  const hours = EMAIL_LINK_LIFETIME_MS / HOUR_MS;
  const subject = t(language, 'signup.email.subject');
  const openLink = t(language, 'signup.email.openLink', { hours });
  const trialStarts = t(language, 'signup.email.trialStarts');
  const notYou = t(language, 'signup.email.notYou');
  const text = [
    t(language, 'signup.email.welcome', { ispName: input.ispName }),
    '',
    openLink,
    input.verifyUrl,
    '',
    trialStarts,
    notYou,
  ].join('\n');
  const link = escapeHtml(input.verifyUrl);
  const html = `<!doctype html>\n<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: sans-serif; line-height: 1.5">
<p>${escapeHtml(t(language, 'signup.email.welcome', { ispName: input.ispName }))}</p>
<p>${escapeHtml(openLink)}<br><a href="${link}">${link}</a></p>
<p>${escapeHtml(trialStarts)} ${escapeHtml(notYou)}</p>
</body></html>`;
  return { to: input.to, subject, text, html };
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
