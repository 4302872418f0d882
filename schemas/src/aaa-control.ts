// The small interface through which the control API asks the AAA server for live state and CoA;
// it never reaches into the session table itself.

/** What a session logged in as: a hotspot voucher, a PPPoE/static subscriber, or a guest pass (issue 13). */
export type SessionSubjectKind = 'voucher' | 'subscriber' | 'guest_pass';
export interface LiveSessionView {
  sessionId: string;
  tenantId: string;
  nasId: string;
  acctSessionId: string;
  username: string;
  subjectKind: SessionSubjectKind;
  subjectId: string;
  callingStationId: string;
  framedIp: string | null;
  startedAtMs: number;
  lastUpdateMs: number;
  inputOctets: number;
  outputOctets: number;
}

export type CoaOutcome =
  | { outcome: 'ack' }
  | { outcome: 'nak'; errorCause: number | null }
  | { outcome: 'timeout' }
  | { outcome: 'not_found' };

export interface AaaControl {
  isUp(): boolean;
  /** Prometheus text of the AAA server's metrics. */
  metricsText(): Promise<string>;
  /** Asynchronous: the session table may be in Redis, shared by the AAA nodes (docs/scaling.md). */
  listSessions(
    tenantId: string,
    options: { limit: number; afterSessionId?: string },
  ): Promise<LiveSessionView[]>;
  findSession(tenantId: string, sessionId: string): Promise<LiveSessionView | undefined>;
  /** Distinct devices (normalised Calling-Station-Id) holding a session or slot of a voucher/subscriber. */
  devicesOfSubject(
    tenantId: string,
    subjectKind: 'voucher' | 'subscriber',
    subjectId: string,
  ): Promise<string[]>;
  disconnectSession(tenantId: string, sessionId: string): Promise<CoaOutcome>;
  changeSessionRate(tenantId: string, sessionId: string, rateLimit: string): Promise<CoaOutcome>;
  /** A CoA-Request with a new Session-Timeout (seconds from now), e.g. when payment moves the paid-through date. */
  changeSessionTimeout(
    tenantId: string,
    sessionId: string,
    sessionTimeoutSeconds: number,
  ): Promise<CoaOutcome>;
  /** Called after the NAS registry changed in the platform DB; resolves once the new registry serves. */
  reloadNasRegistry(): Promise<void>;
}
