// The two catalogues agree (keys, variables), say what the code says today in English, fit where they are
// shown (Reply-Messages, one SMS), and the right language is chosen for a request.
import { errorCatalogue } from '@kiunga/schemas';
import { describe, expect, it } from 'vitest';
import { paymentFailureMessages } from '../mpesa/purchase-service';
import { en } from './en';
import { sw } from './sw';
import {
  catalogues,
  chooseLanguage,
  errorMessage,
  LANGUAGES,
  type Language,
  preferredLanguageOf,
  t,
  tCount,
} from './translate';

const variablesOf = (text: string): string[] =>
  [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();

/** What the AAA server rejects with (aaa-server/src/policy/authorize.ts RejectReason): each is a Reply-Message. */
const RADIUS_REJECT_CODES = [
  'invalid_credentials',
  'voucher_expired',
  'voucher_revoked',
  'device_limit_reached',
  'session_limit_reached',
  'data_cap_reached',
  'account_expired',
  'account_suspended',
  'unsupported_authentication',
] as const;
/** RFC 2865 §5: an attribute's value is at most 253 octets; Reply-Message is one attribute per message here. */
const REPLY_MESSAGE_OCTETS_MAX = 253;
/**
 * MikroTik's login page prints the Reply-Message in a small box under the form; past about three lines on a
 * 360-pixel phone it pushes the form off screen.
 */
const REPLY_MESSAGE_CHARS_MAX = 110;
/** GSM 03.38 basic character set: a text outside it is sent as UCS-2, 70 characters a part instead of 160. */
const GSM7_BASIC = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;
const SMS_SINGLE_PART_CHARS = 160;

describe('the catalogues', () => {
  it('have the same keys in English and Swahili', () => {
    const englishKeys = Object.keys(en).sort();
    expect(Object.keys(sw).sort()).toEqual(englishKeys);
    for (const language of LANGUAGES) {
      expect(Object.keys(catalogues[language]).sort(), language).toEqual(englishKeys);
    }
  });

  it('use the same variables for each key in both languages', () => {
    const mismatches = Object.entries(en)
      .filter(([key, text]) => variablesOf(text).join() !== variablesOf(sw[key as keyof typeof sw]).join())
      .map(([key]) => key);
    expect(mismatches).toEqual([]);
  });

  it('have no empty text and no text left in English in the Swahili catalogue', () => {
    // Words that stay as they are in Swahili (names, units, the code format).
    const sameInBoth = new Set(['portal.buy.price', 'account.invoice.downloadPdf']);
    for (const [key, text] of Object.entries(sw)) {
      expect(text.trim(), key).not.toBe('');
      if (!sameInBoth.has(key)) expect(text, key).not.toBe(en[key as keyof typeof en]);
    }
  });

  it('say in English exactly what the error catalogue says today', () => {
    for (const [key, text] of Object.entries(en)) {
      if (!key.startsWith('error.')) continue;
      const code = key.slice('error.'.length) as keyof typeof errorCatalogue;
      expect(errorCatalogue[code]?.message, key).toBe(text);
    }
  });

  it("say in English exactly what the portal's payment failures say today", () => {
    for (const [reason, message] of Object.entries(paymentFailureMessages)) {
      expect(en[`portal.payment.${reason}` as keyof typeof en], reason).toBe(message);
    }
  });

  it('have a short Reply-Message for every RADIUS reject, in both languages', () => {
    for (const language of LANGUAGES) {
      for (const code of RADIUS_REJECT_CODES) {
        const message = errorMessage(language, code);
        expect(Buffer.byteLength(message, 'utf8'), `${language} ${code}`).toBeLessThanOrEqual(
          REPLY_MESSAGE_OCTETS_MAX,
        );
        expect(message.length, `${language} ${code}: ${message}`).toBeLessThanOrEqual(
          REPLY_MESSAGE_CHARS_MAX,
        );
      }
    }
  });

  it('keep every SMS in GSM-7 and within one part with real values filled in', () => {
    const values = { number: 'INV-2030-000123', amount: 'Ksh 15,000.00', due: '2030-03-14' };
    for (const language of LANGUAGES) {
      const reference = t(language, 'sms.payReference', { account: '1234567' });
      const texts = [
        t(language, 'sms.reactivated'),
        t(language, 'sms.reminder', { ...values, reference }),
        t(language, 'sms.suspended', { ...values, reference }),
      ];
      for (const text of texts) {
        expect(GSM7_BASIC.test(text), `${language}: ${text}`).toBe(true);
        expect(text.length, `${language}: ${text}`).toBeLessThanOrEqual(SMS_SINGLE_PART_CHARS);
      }
    }
  });
});

describe('t and tCount', () => {
  it('fill variables, leaving their values untranslated', () => {
    expect(t('en', 'portal.recover.found', { code: 'K7M2Q9' })).toBe('Your voucher code is K7M2Q9.');
    expect(t('sw', 'portal.recover.found', { code: 'K7M2Q9' })).toBe('Nambari ya vocha yako ni K7M2Q9.');
    expect(t('sw', 'portal.home.title')).toBe('Ingia mtandaoni');
  });

  it('pick the form of a count', () => {
    expect(tCount('en', 'portal.buy.devices', 1)).toBe('1 device');
    expect(tCount('en', 'portal.buy.devices', 3)).toBe('3 devices');
    expect(tCount('sw', 'portal.buy.devices', 1)).toBe('Kifaa 1');
    expect(tCount('sw', 'portal.buy.devices', 0)).toBe('Vifaa 0');
    expect(tCount('en', 'portal.voucherStatus.devicesInUse', 2, { inUse: 1 })).toBe('1 of 2 devices in use');
    const minutes = tCount('sw', 'minutes', 5);
    expect(t('sw', 'portal.limits.tooManyToNumber', { minutes })).toBe(
      'Maombi mengi mno ya M-Pesa kwa nambari hii. Jaribu tena baada ya dakika 5.',
    );
  });

  it('checks variables at compile time', () => {
    // @ts-expect-error: {code} is required
    expect(() => t('en', 'portal.recover.found')).toThrow('missing variable {code}');
    // @ts-expect-error: this text has no variables
    t('en', 'portal.home.title', { code: 'x' });
  });

  it("give staff-only errors the catalogue's English in either language", () => {
    expect(errorMessage('sw', 'voucher_expired')).toBe(sw['error.voucher_expired']);
    expect(errorMessage('sw', 'mpesa_product_not_subscribed')).toBe(
      errorCatalogue.mpesa_product_not_subscribed.message,
    );
  });
});

describe('chooseLanguage', () => {
  const choose = (sources: Parameters<typeof chooseLanguage>[0]): Language => chooseLanguage(sources);

  it('follows ?lang= first, then the saved choice', () => {
    expect(choose({ query: 'sw', savedChoice: 'en', acceptLanguage: 'en', ispDefault: 'en' })).toBe('sw');
    expect(choose({ query: 'en', acceptLanguage: 'sw', ispDefault: 'sw' })).toBe('en');
    expect(choose({ query: 'fr', savedChoice: 'sw', ispDefault: 'en' })).toBe('sw');
  });

  it('picks Swahili from Accept-Language over an English default', () => {
    expect(choose({ acceptLanguage: 'sw', ispDefault: 'en' })).toBe('sw');
    expect(choose({ acceptLanguage: 'sw-KE,sw;q=0.9,en-US;q=0.8,en;q=0.7' })).toBe('sw');
    expect(choose({ acceptLanguage: 'en-US,en;q=0.9,sw;q=0.8', ispDefault: 'en' })).toBe('en');
  });

  it("keeps an ISP's Swahili default when the browser only asks for English, the phone's factory setting", () => {
    expect(choose({ acceptLanguage: 'en-US,en;q=0.9', ispDefault: 'sw' })).toBe('sw');
    expect(choose({ acceptLanguage: 'fr-FR', ispDefault: 'sw' })).toBe('sw');
    expect(choose({ ispDefault: 'sw' })).toBe('sw');
    expect(choose({})).toBe('en');
  });

  it('reads Accept-Language weights as RFC 9110 says', () => {
    expect(preferredLanguageOf('en;q=0.5, sw;q=0.8')).toBe('sw');
    expect(preferredLanguageOf('sw;q=0, en')).toBe('en');
    expect(preferredLanguageOf('sw;q=0')).toBeNull();
    expect(preferredLanguageOf('*')).toBeNull();
    expect(preferredLanguageOf('SW-tz')).toBe('sw');
    expect(preferredLanguageOf('swa, english')).toBeNull();
    expect(preferredLanguageOf(`${'x-private,'.repeat(200)}sw`)).toBeNull();
  });
});
