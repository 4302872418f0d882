// Where a support live feed is in the support_events stream: which rows it reads next and which of
// them are new. PostgreSQL hands out ids before commit, so a slow transaction can make a lower id
// visible after a higher one was read: the cursor re-reads a window below the newest id it saw and
// lets through only ids it has not pushed yet. Ids at or below the baseline (what existed when the
// first viewer came) are never pushed.

export class EventCursor {
  private newestId: number;
  private readonly pushedIds = new Set<number>();

  constructor(
    private readonly baseline: number,
    private readonly reorderWindow: number,
  ) {
    this.newestId = baseline;
  }

  /** Read the rows with an id greater than this. */
  readAfter(): number {
    return Math.max(this.baseline, this.newestId - this.reorderWindow);
  }

  /** Of rows read after readAfter(), those not pushed before, in their order; remembers them. */
  take<Event extends { id: number }>(events: readonly Event[]): Event[] {
    const fresh = events.filter((event) => event.id > this.baseline && !this.pushedIds.has(event.id));
    for (const event of fresh) {
      this.pushedIds.add(event.id);
      this.newestId = Math.max(this.newestId, event.id);
    }
    const floor = this.readAfter();
    for (const id of this.pushedIds) if (id <= floor) this.pushedIds.delete(id);
    return fresh;
  }
}
