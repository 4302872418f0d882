// Composes the AAA server: sockets, NAS registry, session table, accounting writer, reaper, CoA.
import { createSocket, type Socket } from 'node:dgram';
import {
  type AaaControl,
  type Clock,
  type CoaOutcome,
  type LiveSessionView,
  type PlatformDatabase,
  type SecretBox,
  ShardRegistry,
  servedTenantIds,
} from '@kiunga/schemas';
import type { Logger } from 'pino';
import { CoaClient } from './coa/index';
import { DuplicateCache } from './intake/duplicate-cache';
import { MalformedDropLog } from './intake/malformed-drop-log';
import { AaaMetrics } from './intake/metrics';
import { type IntakeDependencies, type PortRole, receiveDatagram } from './intake/packet-intake';
import type { Subject } from './intake/subject';
import { InMemorySessionTable, type LiveSession, type SessionTable } from './sessions/index';
import { AccountingWriter, AuthCache, closeSessionById, NasRegistry, readOpenSessions } from './store/index';

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
  dataDir: string;
  platform: PlatformDatabase;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  sessionTable?: SessionTable;
  /** Shared with the control API in the same process so shard handles stay under one cap. */
  shards?: ShardRegistry;
}

export interface AaaServer {
  readonly authPort: number;
  readonly acctPort: number;
  readonly control: AaaControl;
  readonly sessions: SessionTable;
  readonly metrics: AaaMetrics;
  /** Runs the sweep the timer runs: frees unused device slots, closes silent sessions. */
  reapNow(): { sessionsClosed: number };
  /** Stop intake, write every queued accounting record, close the shards. */
  stop(): Promise<void>;
}

export async function startAaaServer(options: AaaServerOptions): Promise<AaaServer> {
  const shards = options.shards ?? new ShardRegistry({ dataDir: options.dataDir });
  const sessions = options.sessionTable ?? new InMemorySessionTable();
  const metrics = new AaaMetrics(sessions);
  const writer = new AccountingWriter(shards, (error) =>
    options.logger.error({ err: error }, 'answering a committed accounting record failed'),
  );
  const nasRegistry = new NasRegistry(options.platform, options.secretBox);
  nasRegistry.reload();
  const context = {
    clock: options.clock,
    shards,
    secretBox: options.secretBox,
    sessions,
    writer,
    metrics,
    logger: options.logger,
    auth: new AuthCache<Subject>(),
  };
  const rebuilt = rebuildSessionTable(options.platform, shards, sessions);
  options.logger.info({ sessions: rebuilt }, 'session table rebuilt from shards');
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
    setInterval(() => safely(options.logger, 'session reaper', () => reap(context)), REAPER_INTERVAL_MS),
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
    reapNow: () => ({ sessionsClosed: reap(context) }),
    async stop() {
      isUp = false;
      for (const timer of timers) clearInterval(timer);
      await Promise.all([closeSocket(authSocket), closeSocket(acctSocket)]);
      writer.flushNow();
      coa.close();
      context.auth.close();
      shards.closeAll();
    },
  };
}

function safely(logger: Logger, what: string, work: () => void): void {
  try {
    work();
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

function rebuildSessionTable(
  platform: PlatformDatabase,
  shards: ShardRegistry,
  sessions: SessionTable,
): number {
  const tenantIds = servedTenantIds(platform);
  let count = 0;
  for (const tenantId of tenantIds) {
    if (!shards.hasShardFile(tenantId)) continue;
    for (const row of readOpenSessions(shards.forTenant(tenantId))) {
      sessions.startSession({
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
      });
      count += 1;
    }
  }
  return count;
}

/** Frees unused device slots and closes sessions whose NAS stopped reporting them. */
function reap(context: { clock: Clock; sessions: SessionTable; shards: ShardRegistry }): number {
  const nowMs = context.clock.now();
  context.sessions.expirePendingSlots(nowMs);
  const stale = context.sessions.findStaleSessions(nowMs, STALE_GRACE_MS);
  for (const session of stale) {
    context.sessions.removeSession(session.sessionId);
    closeSessionById(context.shards.forTenant(session.tenantId), session.sessionId, nowMs, 'Lost-Service');
  }
  return stale.length;
}

function toView(session: LiveSession): LiveSessionView {
  return { ...session };
}

function createControl(parts: {
  sessions: SessionTable;
  nasRegistry: NasRegistry;
  coa: CoaClient;
  metrics: AaaMetrics;
  isUp: () => boolean;
}): AaaControl {
  const { sessions, nasRegistry, coa, metrics } = parts;
  const sendTo = async (
    tenantId: string,
    sessionId: string,
    kind: 'disconnect' | 'rate',
    send: (
      target: { address: string; port: number; secret: Buffer },
      session: LiveSession,
    ) => Promise<CoaOutcome>,
  ): Promise<CoaOutcome> => {
    const session = sessions.findBySessionId(sessionId);
    // Another tenant's session id is answered exactly like an unknown one.
    if (!session || session.tenantId !== tenantId) return { outcome: 'not_found' };
    const nas = nasRegistry.findById(session.nasId);
    if (!nas?.ipAddress) return { outcome: 'not_found' };
    const outcome = await send({ address: nas.ipAddress, port: nas.coaPort, secret: nas.secret }, session);
    metrics.coaRequests.inc({ kind, outcome: outcome.outcome });
    return outcome;
  };
  return {
    isUp: parts.isUp,
    metricsText: () => metrics.registry.metrics(),
    listSessions: (tenantId, options) =>
      sessions
        .sessionsOfTenant(tenantId, { limit: options.limit, afterSessionId: options.afterSessionId })
        .sessions.map(toView),
    findSession(tenantId, sessionId) {
      const session = sessions.findBySessionId(sessionId);
      return session && session.tenantId === tenantId ? toView(session) : undefined;
    },
    devicesOfSubject: (tenantId, subjectKind, subjectId) =>
      sessions.devicesOfSubject(tenantId, subjectKind, subjectId),
    disconnectSession: (tenantId, sessionId) =>
      sendTo(tenantId, sessionId, 'disconnect', (target, session) => coa.disconnect(target, session)),
    changeSessionRate: (tenantId, sessionId, rateLimit) =>
      sendTo(tenantId, sessionId, 'rate', (target, session) => coa.changeRate(target, session, rateLimit)),
    reloadNasRegistry: () => nasRegistry.reload(),
  };
}
