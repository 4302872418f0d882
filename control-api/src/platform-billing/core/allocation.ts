// Which platform charge is the oldest one not yet paid: payments cover charges oldest first.

export interface DueCharge {
  readonly dueAtMs: number;
  readonly amountCents: number;
}

/** Due date of the first charge (by due date) that the total paid does not fully cover; null when all are. */
export function oldestUnpaidDueAt(charges: readonly DueCharge[], paidCents: number): number | null {
  let remaining = paidCents;
  const ordered = [...charges].sort((left, right) => left.dueAtMs - right.dueAtMs);
  for (const charge of ordered) {
    if (remaining >= charge.amountCents) {
      remaining -= charge.amountCents;
      continue;
    }
    return charge.dueAtMs;
  }
  return null;
}
