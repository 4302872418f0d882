// How the platform itself is paid: its own M-Pesa shortcode, PayPal app and bank details (from KIUNGA_* env).

export interface PlatformMpesaConfig {
  readonly shortcode: string;
  readonly passkey: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
}

export interface PlatformPayPalConfig {
  /** KIUNGA_PAYPAL_BASE_URL: https://api-m.paypal.com, the sandbox, or ops/sim/paypal. */
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Fixed rate, Ksh cents per 1 USD (12_900 = Ksh 129.00): PayPal does not take KES. */
  readonly kesCentsPerUsd: number;
}

export interface PlatformBillingConfig {
  /** Null: ISPs cannot pay the platform by STK push (bank and PayPal may still work). */
  readonly mpesa: PlatformMpesaConfig | null;
  readonly paypal: PlatformPayPalConfig | null;
  /** Shown to the ISP next to its bank reference (bank, account name and number). */
  readonly bankInstructions: string;
}

export const DEFAULT_BANK_INSTRUCTIONS =
  'Pay by bank transfer to Kiunga Ltd and quote your reference exactly; the platform team matches it within one working day.';

export const noPlatformBilling: PlatformBillingConfig = {
  mpesa: null,
  paypal: null,
  bankInstructions: DEFAULT_BANK_INSTRUCTIONS,
};
