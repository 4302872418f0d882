// Logs datagrams dropped as malformed without letting a broken or hostile NAS flood the log: one line per
// source per minute, carrying how many were suppressed since, and a cap on lines per minute overall.
import type { Logger } from 'pino';

/** One line per source per window: enough to notice a broken NAS, not a line per packet. */
export const MALFORMED_LOG_WINDOW_MS = 60_000;
/** Lines per window across all sources: spoofed source addresses cannot turn the limit per source into a flood. */
export const MALFORMED_LOG_LINES_PER_WINDOW_MAX = 100;
/** Sources remembered at once; past it, the ones quiet for a window are forgotten (and all, if none are). */
export const MALFORMED_LOG_SOURCES_MAX = 10_000;

export interface MalformedDrop {
  /** Who sent it: the NAS id when the NAS is known, else the source address. */
  readonly source: string;
  readonly address: string;
  readonly nasId: string | null;
  /** What was wrong, as the codec names it (`too_short`, `bad_password_length`, ...). */
  readonly problem: string;
}

interface SourceState {
  loggedAtMs: number;
  suppressed: number;
}

export class MalformedDropLog {
  private readonly sources = new Map<string, SourceState>();
  private windowStartedAtMs = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  /** Drops of sources that had no line because the overall cap was reached; told on the next line. */
  private suppressedUnattributed = 0;

  constructor(private readonly logger: Logger) {}

  report(drop: MalformedDrop, nowMs: number): void {
    if (nowMs - this.windowStartedAtMs >= MALFORMED_LOG_WINDOW_MS) {
      this.windowStartedAtMs = nowMs;
      this.linesInWindow = 0;
    }
    const state = this.sources.get(drop.source);
    if (state !== undefined && nowMs - state.loggedAtMs < MALFORMED_LOG_WINDOW_MS) {
      state.suppressed += 1;
      return;
    }
    if (this.linesInWindow >= MALFORMED_LOG_LINES_PER_WINDOW_MAX) {
      this.suppressedUnattributed += 1;
      return;
    }
    this.linesInWindow += 1;
    const suppressed = state?.suppressed ?? 0;
    const suppressedElsewhere = this.suppressedUnattributed;
    this.suppressedUnattributed = 0;
    this.remember(drop.source, nowMs);
    this.logger.warn(
      {
        nasId: drop.nasId,
        address: drop.address,
        problem: drop.problem,
        suppressed,
        ...(suppressedElsewhere > 0 ? { suppressedElsewhere } : {}),
      },
      'malformed RADIUS datagram dropped (one line per source per minute)',
    );
  }

  private remember(source: string, nowMs: number): void {
    if (!this.sources.has(source) && this.sources.size >= MALFORMED_LOG_SOURCES_MAX) {
      for (const [key, state] of this.sources) {
        if (nowMs - state.loggedAtMs < MALFORMED_LOG_WINDOW_MS) continue;
        this.suppressedUnattributed += state.suppressed;
        this.sources.delete(key);
      }
      if (this.sources.size >= MALFORMED_LOG_SOURCES_MAX) {
        for (const state of this.sources.values()) this.suppressedUnattributed += state.suppressed;
        this.sources.clear();
      }
    }
    this.sources.set(source, { loggedAtMs: nowMs, suppressed: 0 });
  }
}
