// Test support for billing's store tests: plans and subscribers written as rows into a test shard.
import type { SqlDatabase } from '@kiunga/schemas';

export async function insertPlan(
  database: SqlDatabase,
  plan: { id: string; priceCents: number; cycleMonths: number },
): Promise<void> {
  await database.run(
    `INSERT INTO plans (id, name, kind, price_cents, billing_cycle_months, rate_up_kbps, rate_down_kbps, created_at, updated_at)
     VALUES (?, ?, 'pppoe', ?, ?, 1000, 1000, 0, 0)`,
    [plan.id, `Plan ${plan.id}`, plan.priceCents, plan.cycleMonths],
  );
}

export async function insertSubscriber(
  database: SqlDatabase,
  subscriber: { id: string; planId: string; accountNumber: string; createdAt: number },
): Promise<void> {
  await database.run(
    `INSERT INTO subscribers (id, username, password_sealed, plan_id, account_number, kind, status, created_at, updated_at)
     VALUES (?, ?, 'sealed', ?, ?, 'pppoe', 'active', ?, ?)`,
    [
      subscriber.id,
      `user_${subscriber.id}`,
      subscriber.planId,
      subscriber.accountNumber,
      subscriber.createdAt,
      subscriber.createdAt,
    ],
  );
}

/** One subscriber on its own monthly plan (`pln_<subscriber id>`), the usual start of a money test. */
export async function insertMonthlySubscriber(
  database: SqlDatabase,
  subscriber: { id: string; accountNumber: string; priceCents: number; createdAt: number },
): Promise<void> {
  const planId = `pln_${subscriber.id}`;
  await insertPlan(database, { id: planId, priceCents: subscriber.priceCents, cycleMonths: 1 });
  await insertSubscriber(database, { ...subscriber, planId });
}
