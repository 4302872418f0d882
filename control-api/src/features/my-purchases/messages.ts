// The SMS with a "my purchases" code, in the portal page's language (the client's own choice).
import { type Language, t } from '../../i18n';
import { minutesText } from '../../mpesa/purchase-limits';
import { PURCHASES_CODE_LIFETIME_MS } from './core';

/** One short SMS, the code first so phones can offer to fill it in. */
export function purchasesCodeSms(language: Language, code: string): string {
  return t(language, 'portal.myPurchases.smsCode', {
    code,
    minutes: minutesText(PURCHASES_CODE_LIFETIME_MS, language),
  });
}
