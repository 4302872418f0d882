// What the self-service pay form asks M-Pesa for: exactly what is due, or the next whole shilling, said.
import { describe, expect, it } from 'vitest';
import { mpesaAmountToAsk, parseShillings } from './payment';

describe('mpesaAmountToAsk', () => {
  it('asks for exactly what is due when the balance is whole shillings (whole-shilling invoices)', () => {
    expect(mpesaAmountToAsk(87_100)).toEqual({ shillings: 871, creditLeftCents: 0 });
  });

  it('rounds a balance with cents up to the next shilling and reports the credit that leaves', () => {
    expect(mpesaAmountToAsk(125_807)).toEqual({ shillings: 1_259, creditLeftCents: 93 });
    expect(mpesaAmountToAsk(1)).toEqual({ shillings: 1, creditLeftCents: 99 });
  });

  it('asks for nothing when nothing is owed or the account is in credit', () => {
    expect(mpesaAmountToAsk(0)).toEqual({ shillings: 0, creditLeftCents: 0 });
    expect(mpesaAmountToAsk(-5_000)).toEqual({ shillings: 0, creditLeftCents: 0 });
  });
});

describe('parseShillings', () => {
  it('takes whole shillings from 1 to M-Pesa’s limit, with thousands separators', () => {
    expect(parseShillings(' 1,259 ')).toBe(1_259);
    expect(parseShillings('1258.07')).toBeNull();
    expect(parseShillings('0')).toBeNull();
    expect(parseShillings('150001')).toBeNull();
  });
});
