// Tells the AAA server's cache, without a statement, that nothing was committed to a tenant's schema: one LISTEN connection per process counts the `kiunga_changes` notifications of every schema.
//
// PostgreSQL manual, NOTIFY: "if a NOTIFY is executed inside a transaction, the notify events are not
// delivered until and unless the transaction is committed", and a listening session receives them as soon
// as it is idle. Tenant migration 0001 (statement triggers) and writeTenantRadiusSettings send
// `pg_notify('kiunga_changes', current_schema())` with every change of the auth data (docs/database.md).
// A watch vouches "unchanged" only while the LISTEN is confirmed live on the same connection that was live
// when its mark was accepted and no notification for the schema arrived since: a lost, reconnected or
// silent connection sends every check back to the change-generation read until the listener is live again.
//
// No stale window: a notification committed before a request arrived may still be on its way. So a
// request that would be answered from memory first waits for a round trip on the listening connection
// that started after it arrived (`deliveredUpToNow`). The committing backend signals the listeners as it
// commits, before its client sees the commit (async.c, "Async Notification Model": SignalBackends at
// commit), and a listening backend sends the notifications it was signalled before the ReadyForQuery of
// the next query (protocol manual 55.2.7 "Asynchronous Operations": NotificationResponse "might occur just
// before ReadyForQuery"), so after that round trip every change acknowledged before the request is known.
// Concurrent requests share one round trip (at most one in flight, one queued), so its cost is one trivial
// query per round-trip time for the whole node instead of one generation read per request.
import pg from 'pg';
import type { ChangeMark, ChangeWatch } from './sql-database';

/** The channel the triggers notify, the payload being the schema that changed. */
export const CHANGE_CHANNEL = 'kiunga_changes';

/**
 * How often the listening connection is asked a trivial query. A connection that died without a TCP
 * reset (a partition) delivers nothing and reports nothing; the heartbeat notices it within
 * LISTENER_HEARTBEAT_INTERVAL_MS + LISTENER_SILENCE_MS, after which every check reads again.
 */
export const LISTENER_HEARTBEAT_INTERVAL_MS = 1_000;
/**
 * Slow is not lost: only a connection that answered nothing for this long while a query waited on it
 * counts as lost (as REDIS_UNRESPONSIVE_MS for Redis). A loaded server answers late, and dropping its
 * connection then (as a 1 s reply timeout did) sent every request to read the change generation, which
 * loaded it more: a spiral. While the reply is merely late, requests wait for the shared round trip.
 */
export const LISTENER_SILENCE_MS = 5_000;
/** Connecting (TCP, startup, LISTEN) that takes longer than this is given up and tried again. */
export const LISTENER_CONNECT_TIMEOUT_MS = 5_000;
/** Wait before connecting again after a loss: PostgreSQL restarting is back within seconds. */
export const LISTENER_RECONNECT_DELAY_MS = 500;

/** What one check saw: which live connection, and how many notifications of the schema it had received. */
interface ListenerMark extends ChangeMark {
  readonly watched: PostgresChangeListener;
  readonly connection: number;
  readonly notifications: number;
}

export class PostgresChangeListener {
  private client: pg.Client | undefined;
  /** Counts connections: a mark of an earlier connection is never trusted again. */
  private connection = 0;
  /** True once LISTEN was acknowledged on the current connection, false from the moment it is in doubt. */
  private isListening = false;
  private readonly notificationsBySchema = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  /** The round trip in flight on the listening connection, and the one that starts after it. */
  private barrierInFlight: Promise<void> | undefined;
  private barrierQueued: Promise<void> | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private isClosed = false;
  /** Queries sent on the current connection and not yet answered. */
  private queriesWaiting = 0;
  /** Since when (monotonic ms) the current connection has answered nothing while a query waited. */
  private silentSinceMs = 0;
  private readonly silenceMs: number;
  /** Rejects when the current connection is lost: a round trip waiting on a silent server ends with it. */
  private lost: Promise<never> = new Promise<never>(() => {});
  private rejectLost: (error: unknown) => void = () => {};

  constructor(
    private readonly url: string,
    private readonly onStateChange?: (isListening: boolean, error?: unknown) => void,
    /** LISTENER_SILENCE_MS unless given (shorter only in tests). */
    options: { silenceMs?: number } = {},
  ) {
    this.silenceMs = options.silenceMs ?? LISTENER_SILENCE_MS;
    this.connect();
  }

  /** Whether the watches may vouch now (the LISTEN is confirmed on a connection believed alive). */
  get isLive(): boolean {
    return this.isListening;
  }

  watch(schema: string): ChangeWatch {
    return new ListenerWatch(this, schema);
  }

  /** The mark of the current moment for one schema, or null when the listener cannot vouch. */
  markOf(schema: string): ListenerMark | null {
    if (!this.isListening) return null;
    return {
      watched: this,
      connection: this.connection,
      notifications: this.notificationsBySchema.get(schema) ?? 0,
    };
  }

  /** Whether a mark still describes the present: same live connection, no notification since. */
  isCurrent(mark: ListenerMark, schema: string): boolean {
    return (
      this.isListening &&
      mark.connection === this.connection &&
      mark.notifications === (this.notificationsBySchema.get(schema) ?? 0)
    );
  }

  /** Resolves after a round trip on the listening connection that started after this call. */
  deliveredUpToNow(): Promise<void> {
    if (this.barrierInFlight === undefined) {
      this.barrierInFlight = this.roundTrip();
      return this.barrierInFlight;
    }
    this.barrierQueued ??= this.barrierInFlight
      .catch(() => undefined)
      .then(() => {
        this.barrierQueued = undefined;
        this.barrierInFlight = this.roundTrip();
        return this.barrierInFlight;
      });
    return this.barrierQueued;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.isListening = false;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnect);
    this.rejectLost(new Error('the change listener is closed'));
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connect(): void {
    if (this.isClosed) return;
    this.connection += 1;
    const connection = this.connection;
    // No query_timeout: a late reply is waited for; silence is judged by the heartbeat (isSilent).
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'kiunga-listen',
      keepAlive: true,
      connectionTimeoutMillis: LISTENER_CONNECT_TIMEOUT_MS,
    });
    this.client = client;
    this.queriesWaiting = 0;
    this.lost = new Promise<never>((_, reject) => {
      this.rejectLost = reject;
    });
    this.lost.catch(() => undefined);
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL || message.payload === undefined) return;
      const schema = message.payload;
      this.notificationsBySchema.set(schema, (this.notificationsBySchema.get(schema) ?? 0) + 1);
    });
    client.on('error', (error) => this.lose(connection, error));
    client.on('end', () => this.lose(connection, undefined));
    client
      .connect()
      .then(() => client.query(`LISTEN ${CHANGE_CHANNEL}`))
      .then(() => {
        if (connection !== this.connection || this.isClosed) return;
        this.isListening = true;
        this.onStateChange?.(true);
        this.heartbeat = setInterval(() => this.beat(connection, client), LISTENER_HEARTBEAT_INTERVAL_MS);
        this.heartbeat.unref();
      })
      .catch((error: unknown) => this.lose(connection, error));
  }

  private roundTrip(): Promise<void> {
    const client = this.client;
    const connection = this.connection;
    const trip =
      client === undefined || !this.isListening
        ? Promise.reject(new Error('not listening for changes'))
        : Promise.race([this.ask(client, connection), this.lost]).catch((error: unknown) => {
            this.lose(connection, error);
            throw error;
          });
    const finished = trip.finally(() => {
      if (this.barrierInFlight === finished) this.barrierInFlight = undefined;
    });
    return finished;
  }

  /** A trivial query on the listening connection, counted while it waits (see isSilent). */
  private ask(client: pg.Client, connection: number): Promise<void> {
    if (this.queriesWaiting === 0) this.silentSinceMs = performance.now();
    this.queriesWaiting += 1;
    const answered = () => {
      if (connection !== this.connection) return;
      this.queriesWaiting -= 1;
      this.silentSinceMs = performance.now();
    };
    return client.query('SELECT 1').then(answered, (error: unknown) => {
      answered();
      throw error;
    });
  }

  /** Whether a query has waited on the connection with no answer at all for the silence bound. */
  private isSilent(): boolean {
    return this.queriesWaiting > 0 && performance.now() - this.silentSinceMs >= this.silenceMs;
  }

  private beat(connection: number, client: pg.Client): void {
    if (this.isSilent()) {
      this.lose(
        connection,
        new Error(`the change listener's connection answered nothing for ${this.silenceMs} ms`),
      );
      return;
    }
    // A heartbeat still waiting is enough to judge silence by; a slow server is not sent another.
    if (this.queriesWaiting > 0) return;
    this.ask(client, connection).catch((error: unknown) => this.lose(connection, error));
  }

  /** The connection is in doubt: stop vouching at once, drop it, and connect again shortly. */
  private lose(connection: number, error: unknown): void {
    if (connection !== this.connection) return;
    const wasListening = this.isListening;
    this.isListening = false;
    // A new number at once: no mark of the lost connection is current again, even before the reconnect.
    this.connection += 1;
    clearInterval(this.heartbeat);
    this.rejectLost(error ?? new Error('the change listener lost its connection'));
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
    if (wasListening) this.onStateChange?.(false, error);
    if (this.isClosed) return;
    clearTimeout(this.reconnect);
    this.reconnect = setTimeout(() => this.connect(), LISTENER_RECONNECT_DELAY_MS);
    this.reconnect.unref();
  }
}

/** One tenant's view of the listener: the ChangeWatch the AAA server's cache checks on every request. */
class ListenerWatch implements ChangeWatch {
  private accepted: ListenerMark | null = null;
  private latest: ListenerMark | null = null;

  constructor(
    private readonly listener: PostgresChangeListener,
    private readonly schema: string,
  ) {}

  isUnchangedSinceAccepted(): boolean {
    this.latest = this.listener.markOf(this.schema);
    return this.accepted !== null && this.listener.isCurrent(this.accepted, this.schema);
  }

  markOfLastCheck(): ChangeMark | null {
    return this.latest;
  }

  deliveredUpToNow(): Promise<void> {
    return this.listener.deliveredUpToNow();
  }

  isDatabaseAnswering(): boolean {
    return this.listener.isLive;
  }

  accept(mark: ChangeMark | null): void {
    if (mark === null || mark.watched !== this.listener) return;
    const candidate = mark as ListenerMark;
    const accepted = this.accepted;
    // A mark older than the accepted one (an earlier connection, or fewer notifications) is ignored.
    if (
      accepted !== null &&
      (candidate.connection < accepted.connection ||
        (candidate.connection === accepted.connection && candidate.notifications < accepted.notifications))
    ) {
      return;
    }
    this.accepted = candidate;
  }

  close(): void {
    this.accepted = null;
  }
}
