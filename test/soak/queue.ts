/**
 * The soak's queue, with the delivery semantics of MNS / CMQ / Kafka consumers (as local/queue.ts):
 * at least once, a received message invisible until its batch is acknowledged, a failed or lost batch
 * visible again after a delay. Unlike the local queue it holds duplicate copies of one message (same
 * message id, as a producer retry or a broker redelivery makes them) and never gives up on a message.
 */
import type { Cloud, Route } from './world';

export interface Entry {
  /** Index of the request (the soak case) it carries. */
  caseIndex: number;
  messageId: string;
  body: string;
  cloud: Cloud;
  route: Route;
  visibleAt: number;
  receives: number;
}

export type QueueName = `${Cloud}/${Route}`;

export class SoakQueue {
  private readonly queues = new Map<QueueName, Entry[]>();
  private order: QueueName[] = [];
  private turn = 0;
  private inFlight = 0;
  deliveries = 0;

  send(entry: Omit<Entry, 'visibleAt' | 'receives'>): void {
    const name: QueueName = `${entry.cloud}/${entry.route}`;
    let queue = this.queues.get(name);
    if (!queue) {
      queue = [];
      this.queues.set(name, queue);
      this.order = [...this.queues.keys()];
    }
    queue.push({ ...entry, visibleAt: 0, receives: 0 });
  }

  /** Up to `max` visible messages of the next queue in turn, one copy per message id (a Kafka record
   * numbers identical messages, so two copies in one batch would be two messages). */
  receive(max: number, now = Date.now()): Entry[] {
    for (let tried = 0; tried < this.order.length; tried++) {
      const name = this.order[this.turn++ % this.order.length] as QueueName;
      const queue = this.queues.get(name) ?? [];
      const batch: Entry[] = [];
      const ids = new Set<string>();
      for (let i = 0; i < queue.length && batch.length < max; i++) {
        const entry = queue[i] as Entry;
        if (entry.visibleAt > now || ids.has(entry.messageId)) continue;
        ids.add(entry.messageId);
        batch.push(entry);
        queue.splice(i--, 1);
      }
      if (batch.length > 0) {
        for (const entry of batch) entry.receives++;
        this.deliveries += batch.length;
        this.inFlight += batch.length;
        return batch;
      }
    }
    return [];
  }

  ack(batch: readonly Entry[]): void {
    this.inFlight -= batch.length;
  }

  /** The batch failed or its instance died: each message is visible again after `delayMs`. */
  nack(batch: readonly Entry[], delayMs: number, now = Date.now()): void {
    this.inFlight -= batch.length;
    for (const entry of batch) {
      entry.visibleAt = now + delayMs;
      this.queues.get(`${entry.cloud}/${entry.route}`)?.push(entry);
    }
  }

  /** Messages waiting (visible or not) plus those in flight. */
  get depth(): number {
    let waiting = 0;
    for (const queue of this.queues.values()) waiting += queue.length;
    return waiting + this.inFlight;
  }
}
