// Every string an ISP's client reads, in Swahili as a Nairobi ISP writes to its customers: plain,
// polite, the second person, "M-Pesa", "PIN" and "Ksh" as everyone says them, "vocha" for voucher.
// The keys and `{variables}` are exactly en.ts's (the type and i18n.test.ts hold that).
import type { MessageKey } from './en';

export const sw = {
  'language.name': 'Kiswahili',

  // Captive portal
  'portal.home.title': 'Ingia mtandaoni',
  'portal.refusedLogin':
    'Kiungo kilichofungua ukurasa huu hakielekei kwenye ukurasa wa kuingia wa hotspot yako, kwa hivyo msimbo wako hautumwi popote. Fungua tovuti yoyote kisha uweke msimbo kwenye ukurasa wa kuingia wa hotspot.',
  'portal.voucher.heading': 'Nina vocha',
  'portal.voucher.placeholder': 'Nambari ya vocha',
  'portal.voucher.connect': 'Unganisha',
  'portal.routerLogin.openAnySite':
    'Fungua tovuti yoyote na uweke msimbo huu kwenye ukurasa wa kuingia ili uunganishwe.',
  'portal.routerLogin.connectNow': 'Unganisha sasa',
  'portal.back': 'Rudi',
  'portal.script.sending': 'Tunatuma ombi la M-Pesa...',
  'portal.script.enterPin': 'Angalia simu yako na uweke PIN yako ya M-Pesa.',
  'portal.script.paidVoucher': 'Umelipa. Vocha yako:',
  'portal.script.stillWaiting':
    'Bado tunasubiri M-Pesa. Kama umelipa, tumia "Umelipa lakini umepoteza msimbo?" hapa chini.',
  'portal.script.noConnection': 'Hakuna muunganisho na seva. Jaribu tena.',
  'portal.payments.notConfigured':
    'Malipo bado hayajawekwa kwenye mtandao huu, kwa hivyo huwezi kununua kifurushi hapa. Unganisha kwa vocha kutoka kwa mtoa huduma wako.',
  'portal.payments.unavailable':
    'Malipo ya M-Pesa hayapatikani kwa sasa. Unganisha kwa vocha, au ujaribu tena baadaye.',
  'portal.buy.heading': 'Nunua kifurushi kwa M-Pesa',
  'portal.buy.noPackages': 'Hakuna vifurushi vinavyouzwa kwa sasa. Uliza mtoa huduma wako.',
  'portal.buy.devices.one': 'Kifaa 1',
  'portal.buy.devices.other': 'Vifaa {count}',
  'portal.buy.price': 'Ksh {amount}',
  'portal.buy.phoneLabel': 'Nambari ya M-Pesa',
  'portal.buy.button': 'Nunua',
  'portal.buy.unavailableHeading': 'Nunua kifurushi',
  'portal.recover.heading': 'Umelipa lakini umepoteza msimbo?',
  'portal.recover.phoneLabel': 'Nambari uliyolipa nayo',
  'portal.recover.receiptLabel': 'Msimbo wa M-Pesa kutoka kwa ujumbe wa uthibitisho',
  'portal.recover.button': 'Tafuta vocha yangu',
  'portal.validity.days.one': 'Saa 24',
  'portal.validity.days.other': 'Siku {count}',
  'portal.validity.hours.one': 'Saa 1',
  'portal.validity.hours.other': 'Saa {count}',
  'portal.validity.minutes.one': 'Dakika 1',
  'portal.validity.minutes.other': 'Dakika {count}',
  'portal.purchase.waitingTitle': 'Tunasubiri M-Pesa',
  'portal.purchase.waitingMessage':
    'Angalia simu yako na uweke PIN yako ya M-Pesa. Ukurasa huu utajisasisha wenyewe.',
  'portal.purchase.failedTitle': 'Malipo hayajakamilika',
  'portal.purchase.paidTitle': 'Malipo yamekamilika',
  'portal.purchase.paidMessage':
    'Nambari ya vocha yako ni {code}. Ihifadhi: unaweza kuingia tena nayo hadi muda wake uishe.',
  'portal.voucher.title': 'Vocha',
  'portal.recover.title': 'Tafuta vocha yangu',
  'portal.recover.found': 'Nambari ya vocha yako ni {code}.',
  'portal.guestPass.tryFree': 'Jaribu bure kwa {minutes}',
  'portal.guestPass.title': 'Pasi ya bure',
  'portal.guestPass.ready': 'Pasi yako ya bure iko tayari.',
  'portal.guestPass.openFromLogin':
    'Fungua ukurasa huu kutoka ukurasa wa kuingia wa hotspot, ili kifaa chako kitambulike.',
  'portal.guestPass.refusedDevice': 'Kifaa hiki kimeshapata pasi yake ya bure. Jaribu tena {when}.',
  'portal.guestPass.refusedPhone': 'Nambari hii ya simu imeshapata pasi yake ya bure. Jaribu tena {when}.',
  'portal.guestPass.refusedDailyCap': 'Pasi za bure za leo zimekwisha. Jaribu tena {when}.',
  'portal.guestPass.whenToday': 'saa {time} (saa za Nairobi)',
  'portal.guestPass.whenTomorrow': 'kesho saa {time} (saa za Nairobi)',
  'portal.guestPass.whenDate': 'tarehe {date} saa {time} (saa za Nairobi)',
  'portal.guestPass.phoneLabel': 'Nambari yako ya simu (tutaitumia msimbo kwa SMS)',
  'portal.guestPass.codeLabel': 'Msimbo kutoka kwenye SMS',
  'portal.guestPass.codeSent': 'Tumetuma msimbo kwa SMS kwa {phone}. Uweke ili upate pasi yako ya bure.',
  'portal.referral.fieldLabel': 'Msimbo wa mwaliko wa rafiki (si lazima)',
  'portal.referral.yourCode': 'Msimbo wako wa mwaliko:',
  'portal.referral.codeNote': 'Rafiki akinunua kwa msimbo huu (au kwa kiungo {link}) utapata vocha ya bure.',
  'portal.reseller.yourAgent': 'Wakala wako',
  'portal.reseller.codeLabel': 'Msimbo wa wakala (si lazima)',
  'portal.voucherStatus.invalid': 'Msimbo huu si sahihi hapa. Uangalie kisha ujaribu tena.',
  'portal.voucherStatus.devicesInUse.one': 'Vifaa vinavyotumika: {inUse} kati ya {count}',
  'portal.voucherStatus.devicesInUse.other': 'Vifaa vinavyotumika: {inUse} kati ya {count}',
  'portal.voucherStatus.unused': 'Vocha haijatumika: {duration} kuanzia uingie mara ya kwanza. {devices}.',
  'portal.voucherStatus.leftAllDevicesUsed':
    'Muda uliobaki: {remaining}; {devices}. Ili kuunganisha kifaa kipya, toa kifaa kingine kwanza.',
  'portal.voucherStatus.left': 'Muda uliobaki: {remaining}. {devices}.',
  'duration.days.one': 'siku {count}',
  'duration.days.other': 'siku {count}',
  'duration.daysHours.one': 'siku {count} saa {hours}',
  'duration.daysHours.other': 'siku {count} saa {hours}',
  'duration.hoursMinutes': 'saa {hours} dakika {minutes}',
  'duration.hours': 'saa {hours}',
  'duration.minutes': 'dakika {minutes}',
  'portal.recover.noMatch':
    'Hakuna vocha iliyolipiwa inayolingana na nambari hii na msimbo huu wa M-Pesa katika siku 7 zilizopita. Angalia msimbo ulio mwanzoni mwa ujumbe wako wa M-Pesa (kama NLJ7RT61SV) na nambari uliyolipa nayo.',
  'portal.recover.tooManyTries': 'Umejaribu mara nyingi mno. Jaribu tena baada ya {minutes}.',
  'portal.recover.badInput':
    'Weka nambari uliyolipa nayo (kama 0712 345 678) na msimbo wa M-Pesa kutoka kwa ujumbe wa uthibitisho (kama NLJ7RT61SV).',
  'portal.recover.tooManyTriesForNumber':
    'Nambari hii imejaribiwa mara nyingi mno. Jaribu tena baada ya {minutes}.',
  'minutes.one': 'dakika 1',
  'minutes.other': 'dakika {count}',
  'portal.limits.tooManyToNumber':
    'Maombi mengi mno ya M-Pesa kwa nambari hii. Jaribu tena baada ya {minutes}.',
  'portal.limits.tooManyFromNetwork':
    'Maombi mengi mno ya M-Pesa kutoka kwa mtandao huu. Jaribu tena baada ya {minutes}.',
  'portal.payment.cancelled': 'Umesitisha ombi la M-Pesa. Bonyeza Nunua ujaribu tena.',
  'portal.payment.timeout': 'Muda wa ombi la M-Pesa uliisha kabla hujaweka PIN. Bonyeza Nunua ujaribu tena.',
  'portal.payment.insufficient_funds':
    'Salio lako la M-Pesa halitoshi kwa kifurushi hiki. Ongeza pesa au uchague kifurushi kidogo zaidi.',
  'portal.payment.wrong_pin':
    'PIN ya M-Pesa haikuwa sahihi. Bonyeza Nunua ujaribu tena, na uweke PIN kwa uangalifu.',
  'portal.payment.failed': 'M-Pesa haikuweza kukamilisha malipo. Bonyeza Nunua ujaribu tena.',
  'portal.payment.amount_mismatch':
    'Kiasi ulicholipa hakilingani na bei ya kifurushi. Wasiliana na mtoa huduma wako ukiwa na ujumbe wako wa M-Pesa.',
  'portal.payment.receipt_already_used':
    'M-Pesa imeripoti malipo ambayo tayari yametumika kwa ununuzi mwingine. Wasiliana na mtoa huduma wako ukiwa na ujumbe wako wa M-Pesa.',
  'phone.invalid': 'Weka nambari ya Safaricom kama 0712 345 678.',
  'portal.purchase.noSuchPackage': 'Kifurushi hiki hakipo.',
  'portal.purchase.notWholeShillings':
    'Kifurushi hiki hakiwezi kulipiwa kwa M-Pesa (bei yake si shilingi kamili).',

  // Customer self-service
  'account.nav.overview': 'Akaunti',
  'account.nav.invoices': 'Ankara',
  'account.nav.statement': 'Taarifa',
  'account.nav.usage': 'Matumizi',
  'account.nav.pay': 'Lipa',
  'account.nav.plan': 'Kifurushi',
  'account.nav.password': 'Nenosiri',
  'account.signOut': 'Toka',
  'account.login.title': 'Ingia',
  'account.login.heading': 'Akaunti yangu',
  'account.login.loginLabel': 'Jina la mtumiaji au nambari ya akaunti',
  'account.login.passwordLabel': 'Nenosiri',
  'account.login.button': 'Ingia',
  'account.login.note':
    'Tumia jina la mtumiaji na nenosiri ulilopewa na mtoa huduma wako kwa muunganisho wako.',
  'account.backToAccount': 'Rudi kwenye akaunti yangu',
  'account.status.active': 'Inatumika',
  'account.status.expired': 'Muda umeisha: lipa ili uunganishwe tena',
  'account.status.suspended': 'Imesimamishwa: lipa deni ili uunganishwe tena',
  'account.overview.title': 'Akaunti yangu',
  'account.overview.account': 'Akaunti',
  'account.overview.status': 'Hali',
  'account.overview.plan': 'Kifurushi',
  'account.overview.paidThrough': 'Imelipiwa hadi',
  'account.overview.notSet': 'Haijawekwa',
  'account.overview.balanceDue': 'Deni',
  'account.overview.balance': 'Salio',
  'account.overview.credit': '{amount} za ziada',
  'account.payWithMpesa': 'Lipa kwa M-Pesa',
  'invoice.status.open': 'Haijalipwa',
  'invoice.status.partially_paid': 'Imelipwa kiasi',
  'invoice.status.paid': 'Imelipwa',
  'invoice.status.void': 'Imefutwa',
  'account.invoices.title': 'Ankara',
  'account.invoices.none': 'Bado hakuna ankara.',
  'account.invoices.invoice': 'Ankara',
  'account.invoices.due': 'Mwisho wa kulipa',
  'account.invoices.total': 'Jumla',
  'account.invoices.status': 'Hali',
  'account.invoice.title': 'Ankara {number}',
  'account.invoice.downloadPdf': 'Pakua PDF',
  'account.entry.invoice': 'Ankara',
  'account.entry.payment': 'Malipo',
  'account.entry.credit': 'Nyongeza ya salio',
  'account.entry.refund': 'Kurejeshewa pesa',
  'account.entry.adjustment': 'Marekebisho',
  'account.statement.title': 'Taarifa ya akaunti',
  'account.statement.balance': 'Salio:',
  'account.statement.balanceNote': '(chanya: unadaiwa; hasi: una salio la ziada)',
  'account.statement.date': 'Tarehe',
  'account.statement.what': 'Maelezo',
  'account.statement.amount': 'Kiasi',
  'account.statement.balanceColumn': 'Salio',
  'account.usage.title': 'Matumizi',
  'account.usage.heading': 'Miunganisho ya hivi karibuni',
  'account.usage.none': 'Bado hakuna miunganisho.',
  'account.usage.started': 'Ilianza',
  'account.usage.time': 'Muda',
  'account.usage.down': 'Kupakua',
  'account.usage.up': 'Kupakia',
  'account.usage.online': ' (mtandaoni)',
  'account.pay.title': 'Lipa kwa M-Pesa',
  'account.pay.amountDue': 'Kiasi unachodaiwa:',
  'account.pay.wholeShillings':
    'M-Pesa hupokea shilingi kamili tu, kwa hivyo kiasi kilicho hapa chini kimeongezwa hadi shilingi inayofuata. Ziada ya {credit} itabaki kwenye akaunti yako kama salio la ankara yako ijayo.',
  'account.pay.amountLabel': 'Kiasi (Ksh, shilingi kamili)',
  'account.pay.phoneLabel': 'Nambari ya M-Pesa',
  'account.pay.button': 'Lipa',
  'account.pay.note':
    'Utapokea ombi kwenye simu yako: weka PIN yako ya M-Pesa. Nambari ya akaunti {account}.',
  'account.payment.title': 'Malipo ya M-Pesa',
  'account.payment.pending':
    'Angalia simu yako na uweke PIN yako ya M-Pesa ili ulipe {amount}. Ukurasa huu utajisasisha wenyewe.',
  'account.payment.paid': 'Umelipa {amount}. Risiti ya M-Pesa {receipt}. Asante.',
  'account.payment.myAccount': 'Akaunti yangu',
  'account.payment.tryAgain': 'Jaribu tena',
  'account.plan.title': 'Badilisha kifurushi',
  'account.plan.current':
    'Uko kwenye {plan} ({price} kwa kipindi). Mabadiliko yanaanza sasa hivi: ankara yako ijayo itarudisha siku zilizobaki za kifurushi hiki na kutoza kifurushi kipya kwa siku hizo, na muunganisho wako utapata kasi mpya bila kuunganishwa upya.',
  'account.plan.none': 'Mtoa huduma wako hana kifurushi kingine cha aina ya muunganisho wako.',
  'account.plan.choose': 'Chagua mojawapo ya vifurushi hivi.',
  'account.password.title': 'Badilisha nenosiri',
  'account.password.done':
    'Nenosiri limebadilishwa. Ruta yako imetenganishwa: weka nenosiri jipya ndani yake (mipangilio ya PPPoE) isipojiunganisha yenyewe.',
  'account.password.note':
    'Hili pia ni nenosiri la muunganisho wako (PPPoE): baada ya kubadilisha, ruta yako lazima itumie jipya.',
  'account.password.currentLabel': 'Nenosiri la sasa',
  'account.password.newLabel': 'Nenosiri jipya (herufi {min} hadi {max})',
  'account.password.againLabel': 'Rudia nenosiri jipya',
  'account.password.tooShort': 'Nenosiri jipya linahitaji angalau herufi {min}.',
  'account.password.tooLong': 'Nenosiri jipya lisizidi herufi {max}.',
  'account.password.differ': 'Manenosiri mawili mapya hayafanani.',
  'account.password.checkForm': 'Angalia fomu.',
  'account.password.tooMany': 'Umekosea nenosiri mara nyingi mno. Subiri dakika chache ujaribu tena.',
  'account.password.wrongCurrent': 'Nenosiri la sasa si sahihi.',
  'account.login.wrong': 'Jina la mtumiaji, nambari ya akaunti au nenosiri si sahihi.',
  'account.signInAgain': 'Ingia tena.',
  'account.noSuchInvoice': 'Ankara hii haipo.',
  'account.pay.badAmount': 'Weka kiasi kwa shilingi kamili, kuanzia 1 hadi 150,000.',
  'account.notAvailable': 'Haipatikani',
  'account.payment.mpesa_cancelled': 'Umesitisha ombi la M-Pesa. Bonyeza Lipa ujaribu tena.',
  'account.payment.mpesa_timeout':
    'Muda wa ombi la M-Pesa uliisha kabla hujaweka PIN. Bonyeza Lipa ujaribu tena.',
  'account.payment.mpesa_insufficient_funds':
    'Salio lako la M-Pesa halitoshi kwa kiasi hiki. Ongeza pesa au ulipe kiasi kidogo zaidi.',
  'account.payment.mpesa_wrong_pin':
    'PIN ya M-Pesa haikuwa sahihi. Bonyeza Lipa ujaribu tena, na uweke PIN kwa uangalifu.',
  'account.payment.failed': 'M-Pesa haikuweza kukamilisha malipo. Bonyeza Lipa ujaribu tena.',
  'account.payment.noSuchPayment': 'Malipo haya hayapo.',
  'account.payment.mpesaNotTaken': 'Mtoa huduma wako bado hapokei malipo ya M-Pesa hapa.',
  'account.payment.tooMany': 'Maombi mengi mno ya malipo. Subiri dakika chache kisha ujaribu tena.',
  'account.login.tooMany': 'Umejaribu mara nyingi mno. Jaribu tena baada ya {minutes}.',
  'invoice.heading': 'Ankara {number} · imetolewa {issued} · mwisho wa kulipa {due}',
  'invoice.accountNumber': 'Nambari ya akaunti {account}',
  'invoice.servicePeriod': 'Kipindi cha huduma {from} hadi {to}',
  'invoice.description': 'Maelezo',
  'invoice.amount': 'Kiasi',
  'invoice.total': 'Jumla',
  'invoice.paid': 'Kilicholipwa',
  'invoice.amountDue': 'Kiasi unachodaiwa',
  'invoice.howToPay':
    'Lipa kwa M-Pesa ukitumia nambari ya akaunti {account}. Ukilipa zaidi, ziada itabaki kama salio la ankara yako ijayo.',

  // SMS
  'sms.reactivated': 'Tumepokea malipo yako, asante. Huduma yako ya intaneti imerejeshwa.',
  'sms.payReference': 'Lipa kwa M-Pesa, nambari ya akaunti {account}.',
  'sms.suspended':
    'Huduma yako ya intaneti imesimamishwa: ankara {number} ({amount}) ilipaswa kulipwa {due}. {reference}',
  'sms.reminder': 'Kumbusho: ankara {number} ya {amount} inapaswa kulipwa kufikia {due}. {reference}',
  // control-api/src/features/resellers/sell-by-sms.ts (issue 13): mauzo ya wakala kwa mnunuzi
  'sms.resellerSale':
    'Msimbo wako wa Wi-Fi: {code} ({plan}). Uweke kwenye ukurasa wa kuingia wa hotspot. Umeuzwa na {reseller}, {phone}.',
  // control-api/src/features/guest-passes/phone-codes.ts (issue 13): ukaguzi wa simu wa pasi ya bure
  'sms.guestPassCode':
    'Msimbo wa pasi yako ya bure ya Wi-Fi: {code}. Muda wake unaisha baada ya dakika {minutes}.',

  // RADIUS Reply-Messages: short, MikroTik's login page shows them on a phone
  'error.invalid_credentials': 'Jina au nenosiri si sahihi. Angalia msimbo ujaribu tena.',
  'error.voucher_expired': 'Muda wa vocha hii umeisha. Nunua kifurushi kipya urudi mtandaoni.',
  'error.voucher_revoked': 'Vocha hii imefutwa na mtoa huduma wako. Wasiliana naye upate usaidizi.',
  'error.device_limit_reached':
    'Vocha hii inatumika kwenye vifaa vyote inavyoruhusu. Toka kwenye kifaa kingine kwanza.',
  'error.session_limit_reached':
    'Akaunti hii iko mtandaoni kwenye kifaa kingine. Iondoe huko, au subiri dakika moja ujaribu tena.',
  'error.data_cap_reached': 'Data ya kifurushi hiki imekwisha. Nunua kifurushi kipya.',
  'error.account_expired': 'Muda wa usajili wako umeisha. Lipa bili yako urejeshewe huduma.',
  'error.account_suspended': 'Akaunti yako imesimamishwa. Wasiliana na mtoa huduma wako urejeshewe huduma.',
  'error.unsupported_authentication':
    'Ruta imetumia njia ya kuingia ambayo seva hii haikubali (tumia PAP, CHAP au MS-CHAPv2).',
  // Portal refusals
  'error.validation_failed': 'Ombi hili si sahihi.',
  'error.not_found': 'Haikupatikana.',
  'error.tenant_not_found': 'Mtoa huduma huyu hayupo.',
  'error.unauthenticated': 'Ingia kwanza.',
  'error.rate_limited': 'Umejaribu mara nyingi mno. Subiri kidogo kisha ujaribu tena.',
  'error.guest_pass_used':
    'Kifaa hiki kimeshapata pasi yake ya bure. Jaribu tena baadaye, au nunua kifurushi.',
  'error.guest_pass_daily_cap': 'Pasi za bure za leo zimekwisha. Jaribu tena kesho, au nunua kifurushi.',
  'error.guest_passes_disabled': 'Mtandao huu hautoi pasi za bure. Nunua kifurushi ili uingie mtandaoni.',
  'error.guest_pass_phone_required':
    'Weka nambari yako ya simu na msimbo tutakaoutuma kwa SMS ili upate pasi ya bure.',
  'error.guest_pass_code_invalid':
    'Msimbo huo si sahihi au muda wake umekwisha. Omba msimbo mpya kisha ujaribu tena.',
  'error.csrf_failed': 'Muda wa fomu hii umeisha. Pakia ukurasa upya kisha ujaribu tena.',
  'error.cross_site_request':
    'Ombi hili limetoka kwenye tovuti nyingine. Fungua Kiunga yenyewe kisha ujaribu tena.',
  'error.payload_too_large': 'Ulichotuma ni kikubwa mno.',
  'error.mpesa_not_configured':
    'Mtoa huduma huyu bado hapokei malipo ya M-Pesa hapa. Uliza mtoa huduma wako jinsi ya kulipa.',
  'error.mpesa_unavailable':
    'Malipo ya M-Pesa hayapatikani hapa kwa sasa. Jaribu tena baadaye, au uliza mtoa huduma wako.',
  'error.internal_error': 'Hitilafu imetokea upande wetu.',
  'error.service_unavailable': 'Huduma bado haiko tayari.',
} as const satisfies Record<MessageKey, string>;
