// Every string an ISP's client reads, in English: the captive portal, the customer self-service pages,
// the SMS texts and the client-facing messages of the error catalogue, word for word as the code says them
// today (file named above each group). `{name}` is a variable; keys ending `.one` / `.other` are the forms
// of a count (`{count}`). The Swahili catalogue (sw.ts) must have exactly these keys and variables.

export const en = {
  // The language's own name, for the switch link ("Kiswahili" on an English page).
  'language.name': 'English',

  // control-api/src/portal/page.tsx
  'portal.home.title': 'Get online',
  'portal.refusedLogin':
    "The link that opened this page does not lead to your hotspot's login, so your code is not sent anywhere. Open any website and enter the code on the hotspot's login page.",
  'portal.voucher.heading': 'I have a voucher',
  'portal.voucher.placeholder': 'Voucher code',
  'portal.voucher.connect': 'Connect',
  'portal.routerLogin.openAnySite': 'Open any website and enter this code on the login page to connect.',
  'portal.routerLogin.connectNow': 'Connect now',
  'portal.back': 'Back',
  // control-api/src/portal/page.tsx, purchaseScript (the page's own script)
  'portal.script.sending': 'Sending the M-Pesa request...',
  'portal.script.enterPin': 'Check your phone and enter your M-Pesa PIN.',
  'portal.script.paidVoucher': 'Paid. Your voucher:',
  'portal.script.stillWaiting':
    'Still waiting for M-Pesa. If you paid, use "Paid but lost your code?" below.',
  'portal.script.noConnection': 'No connection to the server. Try again.',
  // control-api/src/portal/payment-sections.tsx
  'portal.payments.notConfigured':
    'Payments are not set up on this network yet, so packages cannot be bought here. Connect with a voucher from your provider.',
  'portal.payments.unavailable':
    'M-Pesa payments are not available right now. Connect with a voucher, or try again later.',
  'portal.buy.heading': 'Buy a package with M-Pesa',
  'portal.buy.noPackages': 'No packages are on sale right now. Ask your provider.',
  'portal.buy.devices.one': '1 device',
  'portal.buy.devices.other': '{count} devices',
  'portal.buy.price': 'Ksh {amount}',
  'portal.buy.phoneLabel': 'M-Pesa number',
  'portal.buy.button': 'Buy',
  'portal.buy.unavailableHeading': 'Buy a package',
  'portal.recover.heading': 'Paid but lost your code?',
  'portal.recover.phoneLabel': 'The number you paid with',
  'portal.recover.receiptLabel': 'M-Pesa code from your confirmation message',
  'portal.recover.button': 'Find my voucher',
  // control-api/src/portal/routes.tsx (validityText and the message pages)
  'portal.validity.days.one': '24 hours',
  'portal.validity.days.other': '{count} days',
  'portal.validity.hours.one': '1 hour',
  'portal.validity.hours.other': '{count} hours',
  'portal.validity.minutes.one': '1 minute',
  'portal.validity.minutes.other': '{count} minutes',
  'portal.purchase.waitingTitle': 'Waiting for M-Pesa',
  'portal.purchase.waitingMessage':
    'Check your phone and enter your M-Pesa PIN. This page updates by itself.',
  'portal.purchase.failedTitle': 'Payment not completed',
  'portal.purchase.paidTitle': 'Paid',
  'portal.purchase.paidMessage':
    'Your voucher code is {code}. Keep it: you can log in again with it until it expires.',
  'portal.voucher.title': 'Voucher',
  'portal.recover.title': 'Find my voucher',
  'portal.recover.found': 'Your voucher code is {code}.',
  // control-api/src/features/guest-passes/portal-section.tsx and portal-routes.tsx (issue 13)
  'portal.guestPass.tryFree': 'Try free for {minutes}',
  'portal.guestPass.title': 'Free pass',
  'portal.guestPass.ready': 'Your free pass is ready.',
  'portal.guestPass.openFromLogin':
    'Open this page from the hotspot login page, so that your device can be recognised.',
  'portal.guestPass.refusedDevice': 'This device already had its free pass. Try again {when}.',
  'portal.guestPass.refusedPhone': 'This phone number already had its free pass. Try again {when}.',
  'portal.guestPass.refusedDailyCap': 'Free passes for today are used up. Try again {when}.',
  'portal.guestPass.whenToday': 'at {time} (Nairobi time)',
  'portal.guestPass.whenTomorrow': 'tomorrow at {time} (Nairobi time)',
  'portal.guestPass.whenDate': 'on {date} at {time} (Nairobi time)',
  'portal.guestPass.phoneLabel': 'Your phone number (we send it a code by SMS)',
  'portal.guestPass.codeLabel': 'The code from the SMS',
  'portal.guestPass.codeSent': 'We sent a code by SMS to {phone}. Enter it to get your free pass.',
  // control-api/src/features/referrals/portal-parts.tsx (issue 13)
  'portal.referral.fieldLabel': "Friend's referral code (optional)",
  'portal.referral.yourCode': 'Your referral code:',
  'portal.referral.codeNote': 'A friend who buys with it (or with the link {link}) earns you a free voucher.',
  // control-api/src/features/resellers/portal-views.tsx (issue 13)
  'portal.reseller.yourAgent': 'Your agent',
  'portal.reseller.codeLabel': 'Agent code (optional)',
  // control-api/src/portal/voucher-status.ts
  'portal.voucherStatus.invalid': 'This code is not valid here. Check it and try again.',
  'portal.voucherStatus.devicesInUse.one': '{inUse} of {count} device in use',
  'portal.voucherStatus.devicesInUse.other': '{inUse} of {count} devices in use',
  'portal.voucherStatus.unused': 'Unused voucher: {duration} from the first login. {devices}.',
  'portal.voucherStatus.leftAllDevicesUsed':
    '{remaining} left; {devices}. A new device needs another one logged out first.',
  'portal.voucherStatus.left': '{remaining} left. {devices}.',
  'duration.days.one': '{count} day',
  'duration.days.other': '{count} days',
  'duration.daysHours.one': '{count} day {hours} h',
  'duration.daysHours.other': '{count} days {hours} h',
  'duration.hoursMinutes': '{hours} h {minutes} min',
  'duration.hours': '{hours} h',
  'duration.minutes': '{minutes} min',
  // control-api/src/portal/recovery.ts and purchase-limits.ts (minutesText)
  'portal.recover.noMatch':
    'No paid voucher matches this number and M-Pesa code in the last 7 days. Check the code at the start of your M-Pesa message (like NLJ7RT61SV) and the number you paid with.',
  'portal.recover.tooManyTries': 'Too many tries. Try again in {minutes}.',
  'portal.recover.badInput':
    'Enter the number you paid with (like 0712 345 678) and the M-Pesa code from your confirmation message (like NLJ7RT61SV).',
  'portal.recover.tooManyTriesForNumber': 'Too many tries for this number. Try again in {minutes}.',
  'minutes.one': '1 minute',
  'minutes.other': '{count} minutes',
  'portal.limits.tooManyToNumber': 'Too many M-Pesa requests to this number. Try again in {minutes}.',
  'portal.limits.tooManyFromNetwork': 'Too many M-Pesa requests from this network. Try again in {minutes}.',
  // control-api/src/portal/purchase-service.ts (paymentFailureMessages and startPurchase)
  'portal.payment.cancelled': 'You cancelled the M-Pesa request. Tap Buy to try again.',
  'portal.payment.timeout': 'The M-Pesa request timed out before you entered your PIN. Tap Buy to try again.',
  'portal.payment.insufficient_funds':
    'Your M-Pesa balance is too low for this package. Top up or choose a smaller package.',
  'portal.payment.wrong_pin': 'The M-Pesa PIN was wrong. Tap Buy to try again and enter your PIN carefully.',
  'portal.payment.failed': 'M-Pesa could not complete the payment. Tap Buy to try again.',
  'portal.payment.amount_mismatch':
    'The amount paid does not match the package. Contact your provider with your M-Pesa message.',
  'portal.payment.receipt_already_used':
    'M-Pesa reported a payment that was already used for another purchase. Contact your provider with your M-Pesa message.',
  'phone.invalid': 'Enter a Safaricom number like 0712 345 678.',
  'portal.purchase.noSuchPackage': 'No such package.',
  'portal.purchase.notWholeShillings':
    'This package cannot be paid with M-Pesa (its price is not whole shillings).',

  // control-api/src/self-service/views.tsx
  'account.nav.overview': 'Account',
  'account.nav.invoices': 'Invoices',
  'account.nav.statement': 'Statement',
  'account.nav.usage': 'Usage',
  'account.nav.pay': 'Pay',
  'account.nav.plan': 'Plan',
  'account.nav.password': 'Password',
  'account.signOut': 'Sign out',
  'account.login.title': 'Sign in',
  'account.login.heading': 'My account',
  'account.login.loginLabel': 'Username or account number',
  'account.login.passwordLabel': 'Password',
  'account.login.button': 'Sign in',
  'account.login.note': 'Use the username and password your provider gave you for your connection.',
  'account.backToAccount': 'Back to my account',
  'account.status.active': 'Active',
  'account.status.expired': 'Expired: pay to reconnect',
  'account.status.suspended': 'Suspended: pay what is due to reconnect',
  'account.overview.title': 'My account',
  'account.overview.account': 'Account',
  'account.overview.status': 'Status',
  'account.overview.plan': 'Plan',
  'account.overview.paidThrough': 'Paid through',
  'account.overview.notSet': 'Not set',
  'account.overview.balanceDue': 'Balance due',
  'account.overview.balance': 'Balance',
  'account.overview.credit': '{amount} credit',
  'account.payWithMpesa': 'Pay with M-Pesa',
  'invoice.status.open': 'Unpaid',
  'invoice.status.partially_paid': 'Partly paid',
  'invoice.status.paid': 'Paid',
  'invoice.status.void': 'Void',
  'account.invoices.title': 'Invoices',
  'account.invoices.none': 'No invoices yet.',
  'account.invoices.invoice': 'Invoice',
  'account.invoices.due': 'Due',
  'account.invoices.total': 'Total',
  'account.invoices.status': 'Status',
  'account.invoice.title': 'Invoice {number}',
  'account.invoice.downloadPdf': 'Download PDF',
  'account.entry.invoice': 'Invoice',
  'account.entry.payment': 'Payment',
  'account.entry.credit': 'Credit',
  'account.entry.refund': 'Refund',
  'account.entry.adjustment': 'Adjustment',
  'account.statement.title': 'Statement',
  'account.statement.balance': 'Balance:',
  'account.statement.balanceNote': '(positive: you owe; negative: credit)',
  'account.statement.date': 'Date',
  'account.statement.what': 'What',
  'account.statement.amount': 'Amount',
  'account.statement.balanceColumn': 'Balance',
  'account.usage.title': 'Usage',
  'account.usage.heading': 'Recent sessions',
  'account.usage.none': 'No sessions yet.',
  'account.usage.started': 'Started',
  'account.usage.time': 'Time',
  'account.usage.down': 'Down',
  'account.usage.up': 'Up',
  'account.usage.online': ' (online)',
  'account.pay.title': 'Pay with M-Pesa',
  'account.pay.amountDue': 'Amount due:',
  'account.pay.wholeShillings':
    'M-Pesa takes whole shillings only, so the amount below is rounded up to the next shilling. The extra {credit} stays on your account as credit towards your next invoice.',
  'account.pay.amountLabel': 'Amount (Ksh, whole shillings)',
  'account.pay.phoneLabel': 'M-Pesa number',
  'account.pay.button': 'Pay',
  'account.pay.note': 'You get a prompt on your phone: enter your M-Pesa PIN. Account reference {account}.',
  'account.payment.title': 'M-Pesa payment',
  'account.payment.pending':
    'Check your phone and enter your M-Pesa PIN to pay {amount}. This page updates by itself.',
  'account.payment.paid': 'Paid {amount}. M-Pesa receipt {receipt}. Thank you.',
  'account.payment.myAccount': 'My account',
  'account.payment.tryAgain': 'Try again',
  // control-api/src/self-service/account-changes.tsx (plan and password pages)
  'account.plan.title': 'Change plan',
  'account.plan.current':
    'You are on {plan} ({price} a cycle). A change takes effect now: your next invoice credits the days left of this plan and charges the new one for them, and your connection gets the new speed without reconnecting.',
  'account.plan.none': 'Your provider offers no other plan for your connection type.',
  'account.plan.choose': 'Choose one of these plans.',
  'account.password.title': 'Change password',
  'account.password.done':
    'Password changed. Your router was disconnected: enter the new password in it (PPPoE settings) if it does not reconnect by itself.',
  'account.password.note':
    'This is also your connection (PPPoE) password: after the change, your router must use the new one.',
  'account.password.currentLabel': 'Current password',
  'account.password.newLabel': 'New password ({min} to {max} characters)',
  'account.password.againLabel': 'New password again',
  'account.password.tooShort': 'The new password needs at least {min} characters.',
  'account.password.tooLong': 'The new password may have at most {max} characters.',
  'account.password.differ': 'The two new passwords differ.',
  'account.password.checkForm': 'Check the form.',
  'account.password.tooMany': 'Too many wrong passwords. Wait a few minutes and try again.',
  'account.password.wrongCurrent': 'The current password is not right.',
  // control-api/src/self-service/service.ts and console.tsx
  'account.login.wrong': 'Wrong username, account number or password.',
  'account.signInAgain': 'Sign in again.',
  'account.noSuchInvoice': 'No such invoice.',
  'account.pay.badAmount': 'Enter the amount in whole shillings, from 1 to 150,000.',
  'account.notAvailable': 'Not available',
  // control-api/src/self-service/payment.ts
  'account.payment.mpesa_cancelled': 'You cancelled the M-Pesa request. Tap Pay to try again.',
  'account.payment.mpesa_timeout':
    'The M-Pesa request timed out before you entered your PIN. Tap Pay to try again.',
  'account.payment.mpesa_insufficient_funds':
    'Your M-Pesa balance is too low for this amount. Top up or pay a smaller amount.',
  'account.payment.mpesa_wrong_pin':
    'The M-Pesa PIN was wrong. Tap Pay to try again and enter your PIN carefully.',
  'account.payment.failed': 'M-Pesa could not complete the payment. Tap Pay to try again.',
  'account.payment.noSuchPayment': 'No such payment.',
  'account.payment.mpesaNotTaken': 'Your provider does not take M-Pesa payments here yet.',
  'account.payment.tooMany': 'Too many payment requests. Wait a few minutes and try again.',
  // control-api/src/self-service/login-limits.ts (minutes from minutes.one / minutes.other)
  'account.login.tooMany': 'Too many attempts. Try again in {minutes}.',
  // control-api/src/billing/invoice-document.tsx (embedded in the customer's invoice page)
  'invoice.heading': 'Invoice {number} · issued {issued} · due {due}',
  'invoice.accountNumber': 'Account number {account}',
  'invoice.servicePeriod': 'Service period {from} to {to}',
  'invoice.description': 'Description',
  'invoice.amount': 'Amount',
  'invoice.total': 'Total',
  'invoice.paid': 'Paid',
  'invoice.amountDue': 'Amount due',
  'invoice.howToPay':
    'Pay with M-Pesa using account number {account}. Overpayments are kept as credit for your next invoice.',

  // control-api/src/billing/dunning-store.ts (notificationBody): SMS, keep within GSM-7
  'sms.reactivated': 'Payment received, thank you. Your internet service is back on.',
  'sms.payReference': 'Pay with M-Pesa, account number {account}.',
  'sms.suspended':
    'Your internet service is suspended: invoice {number} ({amount}) was due {due}. {reference}',
  'sms.reminder': 'Reminder: invoice {number} for {amount} is due {due}. {reference}',
  // control-api/src/features/resellers/sell-by-sms.ts (issue 13): the reseller's sale to a buyer
  'sms.resellerSale':
    'Your Wi-Fi code: {code} ({plan}). Enter it on the hotspot login page. Sold by {reseller}, {phone}.',
  // control-api/src/features/guest-passes/phone-codes.ts (issue 13): the guest-pass phone check
  'sms.guestPassCode': 'Your free Wi-Fi pass code: {code}. It expires in {minutes} minutes.',

  // schemas/src/errors.ts: the RADIUS Reply-Message of an Access-Reject (MikroTik's login page shows it)
  'error.invalid_credentials': 'Wrong username or password. Check the code and try again.',
  'error.voucher_expired': 'This voucher has expired. Buy a new package to get back online.',
  'error.voucher_revoked': 'This voucher has been cancelled by your provider. Contact them for help.',
  'error.device_limit_reached':
    'This voucher is already in use on the maximum number of devices. Log out on another device first.',
  'error.session_limit_reached':
    'This account is already online on another device. Disconnect it there, or wait a minute and retry.',
  'error.data_cap_reached': 'The data allowance of this package is used up. Buy a new package.',
  'error.account_expired': 'Your subscription has expired. Pay your bill to restore service.',
  'error.account_suspended': 'Your account is suspended. Contact your provider to restore service.',
  'error.unsupported_authentication':
    'The router used an authentication method this server does not accept (use PAP, CHAP or MS-CHAPv2).',
  // schemas/src/errors.ts: what the portals show for a refused request
  'error.validation_failed': 'The request is not valid.',
  'error.not_found': 'Not found.',
  'error.tenant_not_found': 'No such ISP.',
  'error.unauthenticated': 'Sign in first.',
  'error.rate_limited': 'Too many attempts. Wait a while and try again.',
  'error.guest_pass_used': 'This device already had its free pass. Try again later, or buy a package.',
  'error.guest_pass_daily_cap': 'Free passes for today are used up. Try again tomorrow, or buy a package.',
  'error.guest_passes_disabled': 'This network does not offer free passes. Buy a package to get online.',
  'error.guest_pass_phone_required':
    'Enter your phone number and the code we send it by SMS to get a free pass.',
  'error.guest_pass_code_invalid': 'That code is wrong or has expired. Ask for a new code and try again.',
  'error.csrf_failed': 'The form has expired. Reload the page and try again.',
  'error.cross_site_request': 'This request came from another website. Open Kiunga itself and try again.',
  'error.payload_too_large': 'The request body is too large.',
  'error.mpesa_not_configured':
    'This provider does not take M-Pesa payments here yet. Ask your provider how to pay.',
  'error.mpesa_unavailable':
    'M-Pesa payments are not available here right now. Try again later, or ask your provider.',
  'error.internal_error': 'Something went wrong on our side.',
  'error.service_unavailable': 'The service is not ready yet.',
} as const;

export type MessageKey = keyof typeof en;
