// STK push ResultCodes Daraja sends in callbacks and query answers, and what each means to a customer.
// Source: Safaricom Daraja, "M-Pesa Express" (developer.safaricom.co.ke/APIs/MpesaExpressSimulate), result codes.

export const StkResultCode = {
  Success: 0,
  InsufficientFunds: 1,
  /** "Unable to lock subscriber, a transaction is already in process for the current subscriber." */
  SubscriberLocked: 1001,
  /** "Transaction has expired": the prompt was not answered in time. */
  TransactionExpired: 1019,
  /** "An error occurred while sending a push request." */
  PushRequestError: 1025,
  /** "Request cancelled by user": sent, like 1032, when the customer dismisses the PIN prompt. */
  CancelledByUserPrompt: 1031,
  CancelledByUser: 1032,
  /** "DS timeout user cannot be reached": phone off, out of coverage or no answer. */
  UserUnreachable: 1037,
  /** "The initiator information is invalid": for STK push, the customer entered a wrong PIN. */
  WrongPin: 2001,
  /** Same meaning as 1025, seen when the request text is too long. */
  PushRequestErrorGeneric: 9999,
} as const;

/** What an STK result means for the purchase; the portal words its message from this. */
export type StkOutcome = 'paid' | 'cancelled' | 'timeout' | 'insufficient_funds' | 'wrong_pin' | 'failed';

export function classifyStkResult(resultCode: number): StkOutcome {
  switch (resultCode) {
    case StkResultCode.Success:
      return 'paid';
    case StkResultCode.CancelledByUser:
    case StkResultCode.CancelledByUserPrompt:
      return 'cancelled';
    case StkResultCode.UserUnreachable:
    case StkResultCode.TransactionExpired:
      return 'timeout';
    case StkResultCode.InsufficientFunds:
      return 'insufficient_funds';
    case StkResultCode.WrongPin:
      return 'wrong_pin';
    default:
      return 'failed';
  }
}

/** Documented C2B validation rejection codes, answered instead of "0" to refuse a paybill payment. */
export const C2bRejectionCode = {
  InvalidMsisdn: 'C2B00011',
  InvalidAccountNumber: 'C2B00012',
  InvalidAmount: 'C2B00013',
  InvalidKycDetails: 'C2B00014',
  InvalidShortcode: 'C2B00015',
  OtherError: 'C2B00016',
} as const;
export type C2bRejectionCode = (typeof C2bRejectionCode)[keyof typeof C2bRejectionCode];
