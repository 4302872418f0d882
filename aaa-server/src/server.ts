// Composes the AAA server: sockets, NAS registry, session table, accounting writer, reaper, CoA.
import { createSocket, type Socket } from 'node:dgram';
import {
  type AaaControl,
  type Clock,
  type CoaOutcome,
  type Databases,
  type LiveSessionView,
  type SecretBox,
  servedTenantIds,
} from '@kiunga/schemas';
import type { Logger } from 'pino';
import { CoaClient } from './coa/index';
import { DuplicateCache } from './intake/duplicate-cache';
import { MalformedDropLog } from './intake/malformed-drop-log';
import { AaaMetrics } from './intake/metrics';
import { type IntakeDependencies, type PortRole, receiveDatagram } from './intake/packet-intake';
import type { Subject } from './intake/subject';
import {
  InMemorySessionStore,
  InMemorySessionTable,
  type LiveSession,
  type LiveSessionInput,
  OutageFallbackStore,
  RedisSessionTable,
  type SessionStore,
  type SessionTable,
} from './sessions/index';
import {
  ACCOUNTING_COMMIT_WINDOW_MS,
  ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS,
  AccountingWriter,
  AuthCache,
  closeSessionById,
  DECISION_FLUSH_INTERVAL_MS,
  DecisionLog,
  FirstUseWrites,
  NasRegistry,
  readOpenSessions,
} from './store/index';

/** How often the NAS registry is re-read, so a NAS added in the console is served within seconds. */
export const NAS_REGISTRY_REFRESH_MS = 5_000;
/** How often dead sessions and unused device slots are swept. */
export const REAPER_INTERVAL_MS = 10_000;
/** Slack on top of 2 × interim interval before a silent session is declared gone. */
export const STALE_GRACE_MS = 60_000;
/** Kernel receive buffer: absorbs bursts (a NAS reboot sends thousands of Accounting-Ons and Starts). */
const SOCKET_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

export interface AaaServerOptions {
  host: string;
  authPort: number;
  acctPort: number;
  /**
   * The platform's and tenants' databases through the one layer, shared with the control API in the
   * same process (one connection per SQLite file); the caller closes them after `stop()`.
   */
  databases: Databases;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  /** The in-process table to use (embedded); a new one by default. Ignored when `redisUrl` is set. */
  sessionTable?: SessionTable;
  /**
   * KIUNGA_REDIS_URL: the session table (device slots, pending slots, open sessions) lives in Redis,
   * shared by every AAA node; absent or null: in this process.
   */
  redisUrl?: string | null;
}

export interface AaaServer {
  readonly authPort: number;
  readonly acctPort: number;
  readonly control: AaaControl;
  readonly sessions: SessionStore;
  readonly metrics: AaaMetrics;
  /** Runs the sweep the timer runs: frees unused device slots, closes silent sessions (stored ones too). */
  reapNow(): Promise<{ sessionsClosed: number }>;
  /** Stop intake and write every queued accounting record (the databases stay open for their owner). */
  stop(): Promise<void>;
}

export async function startAaaServer(options: AaaServerOptions): Promise<AaaServer> {
  const { databases } = options;
  const sessions = await openSessionStore(options);
  const metrics = new AaaMetrics(sessions);
  const auth = new AuthCache<Subject>(databases);
  const writer = new AccountingWriter(
    (tenantId) => auth.databaseOf(tenantId),
    (error) => options.logger.error({ err: error }, 'answering a committed accounting record failed'),
    databases.dialect === 'postgres' ? ACCOUNTING_COMMIT_WINDOW_POSTGRES_MS : ACCOUNTING_COMMIT_WINDOW_MS,
  );
  const decisions = new DecisionLog(
    (tenantId) => auth.databaseOf(tenantId),
    (error) => options.logger.warn({ err: error }, 'access decisions not written'),
  );
  const nasRegistry = new NasRegistry(databases.platform, options.secretBox);
  await nasRegistry.reload();
  const context = {
    clock: options.clock,
    secretBox: options.secretBox,
    sessions,
    writer,
    metrics,
    logger: options.logger,
    auth,
    firstUses: new FirstUseWrites(),
    decisions,
  };
  const rebuilt = await sessions.ensureRebuilt();
  /** Stored-session closes the reaper started; `stop()` waits for them. */
  const closingSessions = new Set<Promise<void>>();
  options.logger.info(
    { sessions: rebuilt.rebuilt ? rebuilt.sessionCount : 'already loaded' },
    "session table rebuilt from the tenants' databases",
  );
  const dependencies: IntakeDependencies = {
    context,
    nasRegistry,
    duplicates: new DuplicateCache(),
    malformedDrops: new MalformedDropLog(options.logger),
  };
  const authSocket = await bindSocket(options.host, options.authPort, 'auth', dependencies, options.logger);
  const acctSocket = await bindSocket(options.host, options.acctPort, 'acct', dependencies, options.logger);
  let isUp = true;
  const timers = [
    setInterval(
      () => safely(options.logger, 'nas registry reload', () => nasRegistry.reload()),
      NAS_REGISTRY_REFRESH_MS,
    ),
    setInterval(
      () => safely(options.logger, 'session reaper', () => reap(context, options.logger, closingSessions)),
      REAPER_INTERVAL_MS,
    ),
    setInterval(
      () => safely(options.logger, 'access decision log', () => decisions.flushDue()),
      DECISION_FLUSH_INTERVAL_MS,
    ),
  ];
  for (const timer of timers) timer.unref();
  const coa = new CoaClient();
  const control = createControl({ sessions, nasRegistry, coa, metrics, isUp: () => isUp });
  return {
    authPort: (authSocket.address() as { port: number }).port,
    acctPort: (acctSocket.address() as { port: number }).port,
    control,
    sessions,
    metrics,
    async reapNow() {
      const sessionsClosed = await reap(context, options.logger, closingSessions);
      await Promise.all(closingSessions);
      return { sessionsClosed };
    },
    async stop() {
      isUp = false;
      for (const timer of timers) clearInterval(timer);
      await Promise.all([closeSocket(authSocket), closeSocket(acctSocket)]);
      await writer.flush();
      await decisions.flush();
      await Promise.all(closingSessions);
      coa.close();
      context.auth.close();
      await sessions.close();
    },
  };
}

function safely(logger: Logger, what: string, work: () => unknown): void {
  try {
    const result = work();
    if (result instanceof Promise)
      result.catch((error: unknown) => logger.error({ err: error }, `${what} failed`));
  } catch (error) {
    logger.error({ err: error }, `${what} failed`);
  }
}

async function bindSocket(
  host: string,
  port: number,
  role: PortRole,
  dependencies: IntakeDependencies,
  logger: Logger,
): Promise<Socket> {
  const socket = createSocket({
    type: 'udp4',
    recvBufferSize: SOCKET_RECEIVE_BUFFER_BYTES,
    // Replies go to the address a datagram came from, always an IP literal: answering the lookup
    // synchronously skips dns.lookup and its extra event-loop hop on every send.
    lookup: (address, _options, callback) => callback(null, address, 4),
  });
  socket.on('message', (datagram, peer) => {
    try {
      receiveDatagram(dependencies, socket, role, datagram, peer);
    } catch (error) {
      // Nothing a datagram carries may stop the server; count and carry on.
      dependencies.context.metrics.drops.inc({ reason: 'internal_error' });
      logger.error({ err: error, role }, 'datagram handling failed');
    }
  });
  socket.on('error', (error) => logger.error({ err: error, role }, 'radius socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/** The session table this node uses: in memory, or Redis (with a local stand-in while Redis is lost). */
async function openSessionStore(options: AaaServerOptions): Promise<SessionStore> {
  const openSessions = () => openSessionsOf(options.databases);
  if (!options.redisUrl) {
    return new InMemorySessionStore({
      table: options.sessionTable ?? new InMemorySessionTable(),
      openSessions,
    });
  }
  const shared = await RedisSessionTable.connect({
    url: options.redisUrl,
    openSessions,
    logger: options.logger,
  });
  return new OutageFallbackStore({ shared, openSessions, logger: options.logger });
}

/** Every served tenant's open sessions in the database: what a session table is (re)built from. */
async function* openSessionsOf(databases: Databases): AsyncIterable<LiveSessionInput> {
  for (const tenantId of await servedTenantIds(databases.platform)) {
    if (!(await databases.hasTenant(tenantId))) continue;
    for (const row of await readOpenSessions(databases.forTenant(tenantId))) {
      yield {
        sessionId: row.id,
        tenantId,
        nasId: row.nasId,
        acctSessionId: row.acctSessionId,
        username: row.username,
        subjectKind: row.subjectKind,
        subjectId: row.subjectId,
        callingStationId: row.callingStationId,
        framedIp: row.framedIp,
        startedAtMs: row.startedAt,
        lastUpdateMs: row.updatedAt,
        interimIntervalSeconds: row.interimIntervalSeconds,
        inputOctets: row.inputOctets,
        outputOctets: row.outputOctets,
      };
    }
  }
}

/**
 * Frees unused device slots and closes sessions whose NAS stopped reporting them: the table at once,
 * the stored session right after (a failed close is logged; the row stays open for the next start's
 * rebuild, which the reaper closes again). With a shared table each stale session is claimed by exactly
 * one node; the sweep also renews (or, after a Redis restart, rebuilds) the shared table.
 */
async function reap(
  context: { clock: Clock; sessions: SessionStore; auth: AuthCache<Subject> },
  logger: Logger,
  closingSessions: Set<Promise<void>>,
): Promise<number> {
  const nowMs = context.clock.now();
  await context.sessions.ensureRebuilt();
  await context.sessions.expirePendingSlots(nowMs);
  const stale = await context.sessions.claimStaleSessions(nowMs, STALE_GRACE_MS);
  for (const session of stale) {
    const closing = closeSessionById(
      context.auth.databaseOf(session.tenantId),
      session.sessionId,
      nowMs,
      'Lost-Service',
    ).catch((error: unknown) =>
      logger.error({ err: error, sessionId: session.sessionId }, 'closing a stale session failed'),
    );
    closingSessions.add(closing);
    void closing.finally(() => closingSessions.delete(closing));
  }
  return stale.length;
}

function toView(session: LiveSession): LiveSessionView {
  return { ...session };
}

/** The AaaControl over a session table: also what an API-only node uses on the shared table (api-node-control.ts). */
export function createControl(parts: {
  sessions: SessionStore;
  nasRegistry: NasRegistry;
  coa: CoaClient;
  metrics: AaaMetrics;
  isUp: () => boolean;
}): AaaControl {
  const { sessions, nasRegistry, coa, metrics } = parts;
  const sendTo = async (
    tenantId: string,
    sessionId: string,
    kind: 'disconnect' | 'rate' | 'timeout',
    send: (
      target: { address: string; port: number; secret: Buffer },
      session: LiveSession,
    ) => Promise<CoaOutcome>,
  ): Promise<CoaOutcome> => {
    // Another tenant's session id is answered exactly like an unknown one.
    const session = await sessions.findSession(tenantId, sessionId);
    if (!session) return { outcome: 'not_found' };
    const nas = nasRegistry.findById(session.nasId);
    if (!nas?.ipAddress) return { outcome: 'not_found' };
    const outcome = await send({ address: nas.ipAddress, port: nas.coaPort, secret: nas.secret }, session);
    metrics.coaRequests.inc({ kind, outcome: outcome.outcome });
    return outcome;
  };
  return {
    isUp: parts.isUp,
    metricsText: () => metrics.registry.metrics(),
    listSessions: async (tenantId, options) =>
      (
        await sessions.sessionsOfTenant(tenantId, {
          limit: options.limit,
          afterSessionId: options.afterSessionId,
        })
      ).sessions.map(toView),
    async findSession(tenantId, sessionId) {
      const session = await sessions.findSession(tenantId, sessionId);
      return session === undefined ? undefined : toView(session);
    },
    devicesOfSubject: (tenantId, subjectKind, subjectId) =>
      sessions.devicesOfSubject({ tenantId, subjectKind, subjectId }),
    disconnectSession: (tenantId, sessionId) =>
      sendTo(tenantId, sessionId, 'disconnect', (target, session) => coa.disconnect(target, session)),
    changeSessionRate: (tenantId, sessionId, rateLimit) =>
      sendTo(tenantId, sessionId, 'rate', (target, session) => coa.changeRate(target, session, rateLimit)),
    changeSessionTimeout: (tenantId, sessionId, seconds) =>
      sendTo(tenantId, sessionId, 'timeout', (target, session) =>
        coa.changeTimeout(target, session, seconds),
      ),
    reloadNasRegistry: () => nasRegistry.reload(),
  };
}
