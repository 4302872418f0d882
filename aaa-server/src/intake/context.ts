// What every intake stage needs, passed explicitly.
import type { Clock, SecretBox } from '@kiunga/schemas';
import type { Logger } from 'pino';
import type { SessionStore } from '../sessions/index';
import type { AccountingWriter, AuthCache, DecisionLog, FirstUseWrites } from '../store/index';
import type { AaaMetrics } from './metrics';
import type { Subject } from './subject';

export interface IntakeContext {
  clock: Clock;
  secretBox: SecretBox;
  /** The live session table: in this process (embedded) or shared by every AAA node (Redis). */
  sessions: SessionStore;
  writer: AccountingWriter;
  metrics: AaaMetrics;
  logger: Logger;
  /**
   * Voucher/subscriber lookups and RADIUS settings per tenant, checked against the tenant's change
   * generation; also the AAA server's handle on each tenant's database (`databaseOf`).
   */
  auth: AuthCache<Subject>;
  /** Vouchers' first logins, committed in groups (first-use-writes.ts). */
  firstUses: FirstUseWrites;
  /** Where Access-Request decisions go for diagnostics (absent: not kept). */
  decisions?: DecisionLog;
}
