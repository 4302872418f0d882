import { describe, expect, it } from 'vitest';
import {
  C2B_VALIDATION_ACCEPTED,
  c2bValidationRejected,
  parseC2bRequest,
  parseStkCallback,
  parseTransactionStatusResult,
  readC2bRequest,
  readResultParameters,
  readStkCallback,
  stkCallbackFromText,
} from './callbacks';
import { C2bRejectionCode } from './result-codes';

const paidCallback = {
  Body: {
    stkCallback: {
      MerchantRequestID: '29115-34620561-1',
      CheckoutRequestID: 'ws_CO_191220191020363925',
      ResultCode: 0,
      ResultDesc: 'The service request is processed successfully.',
      CallbackMetadata: {
        Item: [
          { Name: 'Amount', Value: 1.0 },
          { Name: 'MpesaReceiptNumber', Value: 'NLJ7RT61SV' },
          { Name: 'Balance' },
          { Name: 'TransactionDate', Value: 20191219102115 },
          { Name: 'PhoneNumber', Value: 254708374149 },
        ],
      },
    },
  },
};

function parsedStk(body: unknown) {
  const parsed = parseStkCallback(body);
  if (!parsed.ok) throw new Error(parsed.issues);
  return parsed.value.Body.stkCallback;
}

describe('STK callbacks', () => {
  it('reads a payment from the metadata', () => {
    const reading = readStkCallback(parsedStk(paidCallback));
    expect(reading).toEqual({
      kind: 'paid',
      payment: {
        amount: 100,
        mpesaReceiptNumber: 'NLJ7RT61SV',
        transactionDate: '20191219102115',
        transactionDateMs: Date.UTC(2019, 11, 19, 7, 21, 15),
        phoneNumber: '254708374149',
      },
    });
  });

  it.each([
    [1032, 'Request cancelled by user', 'cancelled'],
    [1031, 'Request cancelled by user', 'cancelled'],
    [1037, 'DS timeout user cannot be reached', 'timeout'],
    [1019, 'Transaction has expired', 'timeout'],
    [1, 'The balance is insufficient for the transaction.', 'insufficient_funds'],
    [2001, 'The initiator information is invalid.', 'wrong_pin'],
    [1025, 'An error occurred while sending a push request', 'failed'],
  ])('classifies ResultCode %d as %s', (code, description, outcome) => {
    const body = {
      Body: {
        stkCallback: {
          MerchantRequestID: '1-2-3',
          CheckoutRequestID: 'ws_CO_1',
          ResultCode: code,
          ResultDesc: description,
        },
      },
    };
    expect(readStkCallback(parsedStk(body))).toEqual({ kind: 'failed', outcome, resultCode: code });
  });

  it('calls a success without a receipt malformed, never paid', () => {
    const body = structuredClone(paidCallback);
    body.Body.stkCallback.CallbackMetadata.Item.splice(1, 1);
    expect(readStkCallback(parsedStk(body))).toMatchObject({ kind: 'malformed' });
  });

  it('refuses bodies of another shape', () => {
    expect(parseStkCallback({}).ok).toBe(false);
    expect(stkCallbackFromText('not json')).toBeNull();
    expect(stkCallbackFromText('{}')).toBeNull();
    expect(stkCallbackFromText(JSON.stringify(paidCallback))).toEqual(parsedStk(paidCallback));
    expect(parseStkCallback({ Body: { stkCallback: { ResultCode: 'zero' } } }).ok).toBe(false);
  });
});

const confirmation = {
  TransactionType: 'Pay Bill',
  TransID: 'RKTQDM7W6S',
  TransTime: '20191122063845',
  TransAmount: '10.00',
  BusinessShortCode: '600638',
  BillRefNumber: ' ACC-1001 ',
  InvoiceNumber: '',
  OrgAccountBalance: '49197.00',
  ThirdPartyTransID: '',
  MSISDN: '254708374149',
  FirstName: 'John',
  MiddleName: '',
  LastName: 'Doe',
};

describe('C2B validation and confirmation', () => {
  it('reads amount in cents by digits and the account reference trimmed', () => {
    const parsed = parseC2bRequest(confirmation);
    if (!parsed.ok) throw new Error(parsed.issues);
    expect(readC2bRequest(parsed.value)).toEqual({
      transId: 'RKTQDM7W6S',
      transactionType: 'Pay Bill',
      amount: 1000,
      transTimeMs: Date.UTC(2019, 10, 22, 3, 38, 45),
      businessShortCode: '600638',
      billRefNumber: 'ACC-1001',
      msisdn: '254708374149',
      customerName: 'John Doe',
    });
  });

  it('accepts a validation body without the optional fields', () => {
    const { OrgAccountBalance, InvoiceNumber, ThirdPartyTransID, MiddleName, LastName, ...minimal } =
      confirmation;
    expect(parseC2bRequest(minimal).ok).toBe(true);
  });

  it.each([
    ['TransAmount', '10.005'],
    ['TransAmount', '-5.00'],
    ['TransTime', '2019-11-22'],
    ['TransID', ''],
  ])('refuses %s = %j', (field, value) => {
    expect(parseC2bRequest({ ...confirmation, [field]: value }).ok).toBe(false);
  });

  it('answers validations as the contract says', () => {
    expect(C2B_VALIDATION_ACCEPTED).toEqual({ ResultCode: '0', ResultDesc: 'Accepted' });
    expect(c2bValidationRejected(C2bRejectionCode.InvalidAccountNumber)).toEqual({
      ResultCode: 'C2B00012',
      ResultDesc: 'Rejected',
    });
  });
});

describe('transaction status results', () => {
  it('reads ResultParameters as a list or a single object', () => {
    const body = {
      Result: {
        ResultType: 0,
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        OriginatorConversationID: '1236-7134259-1',
        ConversationID: 'AG_20210709_1234409f86436c583e3f',
        TransactionID: 'NLJ7RT61SV',
        ResultParameters: {
          ResultParameter: [
            { Key: 'ReceiptNo', Value: 'NLJ7RT61SV' },
            { Key: 'Amount', Value: 10 },
            { Key: 'TransactionReason' },
          ],
        },
        ReferenceData: { ReferenceItem: { Key: 'Occasion', Value: 'recon' } },
      },
    };
    const parsed = parseTransactionStatusResult(body);
    if (!parsed.ok) throw new Error(parsed.issues);
    const parameters = readResultParameters(parsed.value);
    expect(parameters.get('ReceiptNo')).toBe('NLJ7RT61SV');
    expect(parameters.get('Amount')).toBe(10);
    expect(parameters.has('TransactionReason')).toBe(false);
    expect(parsed.value.Result.ReferenceData?.ReferenceItem).toEqual([{ Key: 'Occasion', Value: 'recon' }]);
  });
});
