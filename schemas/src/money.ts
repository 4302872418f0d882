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

/** Digits grouped by thousands ("1,234,567") without the ICU locale data a build may lack. */
function groupThousands(whole: number): string {
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The amount in shillings, by integer arithmetic: "-1,500", "49.50"; cents only when there are some unless `fixed`. */
function shillingsText(amountCents: number, options: { fixed: boolean; grouped: boolean }): string {
  if (!Number.isSafeInteger(amountCents))
    throw new RangeError(`cents must be a safe integer, got ${amountCents}`);
  const sign = amountCents < 0 ? '-' : '';
  const absolute = Math.abs(amountCents);
  const fraction = absolute % 100;
  const whole = (absolute - fraction) / 100;
  const decimals = options.fixed || fraction !== 0 ? `.${String(fraction).padStart(2, '0')}` : '';
  return `${sign}${options.grouped ? groupThousands(whole) : String(whole)}${decimals}`;
}

/**
 * Cents for people: "Ksh 1,500", "Ksh 49.50", "Ksh -300"; with `fixed`, always two decimals
 * ("Ksh 1,500.00") as statements and invoices print them.
 */
export function formatKsh(amountCents: number, options: { fixed?: boolean } = {}): string {
  return `Ksh ${shillingsText(amountCents, { fixed: options.fixed === true, grouped: true })}`;
}

/** Cents as a shilling amount to put back into a form field: "1500", "49.50". */
export function centsToShillingsText(amountCents: number): string {
  return shillingsText(amountCents, { fixed: false, grouped: false });
}
