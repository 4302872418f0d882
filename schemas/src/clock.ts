// The one source of time: policy takes a Clock so tests can travel in time.
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private currentMs: number;
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.currentMs = startMs;
  }
  now(): number {
    return this.currentMs;
  }
  advance(durationMs: number): void {
    this.currentMs += durationMs;
  }
  set(timeMs: number): void {
    this.currentMs = timeMs;
  }
}
