// The one error type and its catalogue: codes, HTTP status and the text a person reads
// (also the Reply-Message of an Access-Reject and the captive portal's message).
export const errorCatalogue = {
  // Authentication outcomes, shown to hotspot clients and subscribers.
  invalid_credentials: { status: 401, message: 'Wrong username or password. Check the code and try again.' },
  voucher_expired: {
    status: 403,
    message: 'This voucher has expired. Buy a new package to get back online.',
  },
  voucher_revoked: {
    status: 403,
    message: 'This voucher has been cancelled by your provider. Contact them for help.',
  },
  device_limit_reached: {
    status: 403,
    message:
      'This voucher is already in use on the maximum number of devices. Log out on another device first.',
  },
  session_limit_reached: {
    status: 403,
    message:
      'This account is already online on another device. Disconnect it there, or wait a minute and retry.',
  },
  mac_address_mismatch: {
    status: 403,
    message:
      'This account is registered to another device (MAC address). Use that device, or ask your provider to change it.',
  },
  data_cap_reached: {
    status: 403,
    message: 'The data allowance of this package is used up. Buy a new package.',
  },
  account_expired: {
    status: 403,
    message: 'Your subscription has expired. Pay your bill to restore service.',
  },
  account_suspended: {
    status: 403,
    message: 'Your account is suspended. Contact your provider to restore service.',
  },
  unsupported_authentication: {
    status: 400,
    message:
      'The router used an authentication method this server does not accept (use PAP, CHAP or MS-CHAPv2).',
  },
  // Guest passes (issue 13): the captive portal's "try free" refusals.
  /** Issue 13's contract: a second pass within the period is `429 {error: {code: "guest_pass_used", …}}`. */
  guest_pass_used: {
    status: 429,
    message: 'This device already had its free pass. Try again later, or buy a package.',
  },
  guest_pass_daily_cap: {
    status: 429,
    message: 'Free passes for today are used up. Try again tomorrow, or buy a package.',
  },
  guest_passes_disabled: {
    status: 403,
    message: 'This network does not offer free passes. Buy a package to get online.',
  },
  guest_pass_phone_required: {
    status: 400,
    message: 'Enter your phone number and the code we send it by SMS to get a free pass.',
  },
  guest_pass_code_invalid: {
    status: 400,
    message: 'That code is wrong or has expired. Ask for a new code and try again.',
  },
  guest_pass_sms_unavailable: {
    status: 503,
    message:
      'This network cannot send SMS codes right now, so free passes are not available. Buy a package to get online.',
  },
  // Generic API errors.
  validation_failed: { status: 400, message: 'The request is not valid.' },
  not_found: { status: 404, message: 'Not found.' },
  tenant_not_found: { status: 404, message: 'No such ISP.' },
  conflict: { status: 409, message: 'This conflicts with an existing record.' },
  unauthenticated: { status: 401, message: 'Sign in first.' },
  forbidden: { status: 403, message: 'You are not allowed to do this.' },
  rate_limited: { status: 429, message: 'Too many attempts. Wait a while and try again.' },
  totp_required: { status: 401, message: 'Enter the code from your authenticator app.' },
  invalid_totp: { status: 401, message: 'That authenticator code is not valid. Try the current one.' },
  password_change_required: {
    status: 403,
    message:
      'Your password was set by someone else: choose your own password first (POST /api/v1/auth/password).',
  },
  csrf_failed: { status: 403, message: 'The form has expired. Reload the page and try again.' },
  cross_site_request: {
    status: 403,
    message: 'This request came from another website. Open Kiunga itself and try again.',
  },
  unsupported_media_type: {
    status: 415,
    message: 'Send the request body as JSON with Content-Type: application/json.',
  },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  tenant_suspended: {
    status: 403,
    message: 'This ISP account is suspended: you can look, but not change anything. Contact the platform.',
  },
  signup_pending: {
    status: 403,
    message:
      'Confirm your phone and email first: until both are confirmed only verification, the registration payment and your own profile are open.',
  },
  platform_payment_required: {
    status: 402,
    message:
      'Your Kiunga subscription is unpaid: the console is read-only until you pay. Your clients keep their service.',
  },
  // M-Pesa (Daraja): what an ISP, an operator or a buyer is told when M-Pesa cannot be used.
  mpesa_not_configured: {
    status: 409,
    message: 'This provider does not take M-Pesa payments here yet. Ask your provider how to pay.',
  },
  mpesa_unavailable: {
    status: 503,
    message: 'M-Pesa payments are not available here right now. Try again later, or ask your provider.',
  },
  mpesa_callback_url_refused: {
    status: 503,
    message:
      "Daraja would refuse this server's callback URLs: set KIUNGA_PUBLIC_URL to the server's public https address.",
  },
  mpesa_product_not_subscribed: {
    status: 502,
    message:
      'Daraja refused the call: the Daraja app of these credentials is not subscribed to this API product. Switch the C2B API version in the M-Pesa settings, or add the product to the app on the Daraja portal.',
  },
  mpesa_urls_already_registered: {
    status: 502,
    message:
      'Daraja already has C2B URLs registered for this shortcode. Delete them on the Daraja portal (Self Services, URL Management), then save the M-Pesa settings again.',
  },
  accounting_not_configured: {
    status: 409,
    message:
      'This accounting package is not set up on this platform. Ask the platform operator to add its app keys.',
  },
  accounting_reconnect_required: {
    status: 409,
    message:
      'The accounting package no longer accepts this connection. Connect it again from the Accounting page.',
  },
  accounting_vendor_unavailable: {
    status: 502,
    message: 'The accounting package did not answer. Try again in a few minutes.',
  },
  // TR-069 through GenieACS (issue 14).
  genieacs_not_configured: {
    status: 409,
    message:
      'No TR-069 server (GenieACS) is set up for this ISP: add its address on the Client routers page, or ask the platform.',
  },
  genieacs_unavailable: {
    status: 502,
    message: 'The TR-069 server (GenieACS) did not answer as expected. Try again shortly.',
  },
  // Resellers (issue 13): control-api/src/features/resellers/core decides when each applies.
  wallet_insufficient: {
    status: 402,
    message: 'The wallet does not hold enough for this purchase. Top up first, or buy fewer vouchers.',
  },
  payout_exceeds_owed: {
    status: 409,
    message: 'This payout is more than the commission owed to the reseller.',
  },
  reseller_depth_exceeded: {
    status: 409,
    message: 'The reseller hierarchy of this ISP is not that deep: choose a parent higher up.',
  },
  reseller_outside_subtree: {
    status: 403,
    message: 'A reseller can only manage its own sub-resellers.',
  },
  reseller_parent_unknown: { status: 404, message: 'No such parent reseller.' },
  reseller_move_creates_cycle: {
    status: 409,
    message: 'A reseller cannot be moved under itself or under one of its own sub-resellers.',
  },
  reseller_code_unknown: {
    status: 404,
    message: 'No reseller has that code. Check the code, or buy without one.',
  },
  reseller_stock_empty: {
    status: 409,
    message: 'No unsold voucher of this package is left in the stock: buy more stock first.',
  },
  reseller_voucher_sold: { status: 409, message: 'This voucher is already sold or in use: sell another.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  service_unavailable: { status: 503, message: 'The service is not ready yet.' },
  session_store_unavailable: {
    status: 503,
    message: 'The live session table (Redis) did not answer in time. Try again shortly.',
  },
  // SMS to clients (issue 13): control-api/src/features/sms-campaigns.
  template_invalid: {
    status: 400,
    message: 'The message template has a mistake: see the details and write variables as {{name}}.',
  },
  campaign_not_startable: { status: 409, message: 'This campaign has already started or ended.' },
  feature_not_in_tier: {
    status: 403,
    message: 'SMS to clients is part of Tier 2. Upgrade your Kiunga plan to send messages.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export class KiungaError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, httpStatus?: number, details?: unknown) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'KiungaError';
    this.code = code;
    this.httpStatus = httpStatus ?? errorCatalogue[code].status;
    this.details = details;
  }
}

export function messageFor(code: ErrorCode): string {
  return errorCatalogue[code].message;
}
