// Money is integer cents behind a brand, so a float or a shilling amount cannot slip in.
declare const centsBrand: unique symbol;
export type Cents = number & { readonly [centsBrand]: true };

export function cents(value: number): Cents {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`cents must be a safe integer, got ${value}`);
  }
  return value as Cents;
}

export function shillingsToCents(shillings: number): Cents {
  if (!Number.isSafeInteger(shillings)) {
    throw new RangeError(`whole shillings expected, got ${shillings}`);
  }
  return cents(shillings * 100);
}
