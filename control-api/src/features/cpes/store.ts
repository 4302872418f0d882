// The SQL the CPE pages need from the tenant shard: subscribers as the binder sees them, and those whose
// CPE gets PPPoE credentials pushed.
import type { SqlDatabase } from '@kiunga/schemas';
import type { BindableSubscriber } from './core/binding';

export async function bindableSubscribers(database: SqlDatabase): Promise<BindableSubscriber[]> {
  return database.all<BindableSubscriber>(
    `SELECT id, username, cpe_serial_number AS "cpeSerialNumber" FROM subscribers`,
  );
}

export async function recordedSerialNumbers(database: SqlDatabase): Promise<string[]> {
  return database.column<string>(
    'SELECT cpe_serial_number FROM subscribers WHERE cpe_serial_number IS NOT NULL ORDER BY id',
  );
}

export interface ProvisionedSubscriber {
  id: string;
  username: string;
  passwordSealed: string;
  cpeSerialNumber: string;
}

/** Subscribers with a recorded CPE on one of `planIds`: their CPE gets their PPPoE credentials. */
export async function subscribersToProvision(
  database: SqlDatabase,
  planIds: readonly string[],
): Promise<ProvisionedSubscriber[]> {
  if (planIds.length === 0) return [];
  return database.all<ProvisionedSubscriber>(
    `SELECT id, username, password_sealed AS "passwordSealed", cpe_serial_number AS "cpeSerialNumber"
       FROM subscribers
      WHERE cpe_serial_number IS NOT NULL AND plan_id IN (${planIds.map(() => '?').join(', ')})
      ORDER BY id`,
    [...planIds],
  );
}
