// CampaignStore in memory: the reference semantics of the SQL store, used by tests and benchmarks.
import type { CampaignRun, QueueSnapshot } from './campaign-run';
import {
  applyMessageEvent,
  type CampaignMessage,
  canApply,
  type MessageEvent,
  type MessageStatus,
} from './messages';
import type { CampaignStore } from './sender';

export class InMemoryCampaignStore implements CampaignStore {
  private run: CampaignRun;
  /** Insertion order is the queue's order, as `ORDER BY created_at, id` would be. */
  private readonly messages = new Map<string, CampaignMessage>();

  constructor(run: CampaignRun, messages: Iterable<CampaignMessage>) {
    this.run = run;
    for (const message of messages) this.messages.set(message.id, message);
  }

  async readRun(): Promise<CampaignRun> {
    return this.run;
  }

  async writeRun(run: CampaignRun): Promise<void> {
    this.run = run;
  }

  async inFlight(): Promise<CampaignMessage[]> {
    return [...this.messages.values()].filter((message) => message.status === 'sending');
  }

  async snapshot(batchSize: number, nowMs: number): Promise<QueueSnapshot> {
    const due: CampaignMessage[] = [];
    let queuedCount = 0;
    let sendingCount = 0;
    let earliestRetryAtMs: number | null = null;
    for (const message of this.messages.values()) {
      if (message.status === 'sending') sendingCount += 1;
      if (message.status !== 'queued') continue;
      queuedCount += 1;
      const retryAtMs = message.nextAttemptAtMs;
      if (retryAtMs === null || retryAtMs <= nowMs) {
        if (due.length < batchSize) due.push(message);
      } else if (earliestRetryAtMs === null || retryAtMs < earliestRetryAtMs) {
        earliestRetryAtMs = retryAtMs;
      }
    }
    return { due, queuedCount, sendingCount, earliestRetryAtMs };
  }

  async claim(messageIds: readonly string[], atMs: number): Promise<string[]> {
    return messageIds.filter((id) => this.apply(id, { type: 'claim', atMs }));
  }

  async settle(
    run: CampaignRun | null,
    events: readonly { messageId: string; event: MessageEvent }[],
  ): Promise<void> {
    for (const { messageId, event } of events) this.apply(messageId, event);
    if (run !== null) this.run = run;
  }

  /**
   * Applies one event if the message still has a status it starts from (the compare-and-set); true when
   * it did. Also for an ISP's resend or cancel and for delivery reports.
   */
  apply(messageId: string, event: MessageEvent): boolean {
    const message = this.messages.get(messageId);
    if (message === undefined || !canApply(message.status, event.type)) return false;
    this.messages.set(messageId, applyMessageEvent(message, event));
    return true;
  }

  message(messageId: string): CampaignMessage | undefined {
    return this.messages.get(messageId);
  }

  all(): CampaignMessage[] {
    return [...this.messages.values()];
  }

  countsByStatus(): Map<MessageStatus, number> {
    const counts = new Map<MessageStatus, number>();
    for (const message of this.messages.values())
      counts.set(message.status, (counts.get(message.status) ?? 0) + 1);
    return counts;
  }
}
