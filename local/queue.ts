import { randomUUID } from 'node:crypto';

export interface QueuedMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

/**
 * A local queue with the semantics of MNS / CMQ / Kafka consumers: at-least-once delivery, a received
 * message is invisible until acknowledged or its visibility times out, and after `maxReceives`
 * deliveries without an acknowledgement it moves to the dead-letter queue.
 */
export class LocalQueue {
  private readonly messages: (QueuedMessage & { visibleAt: number })[] = [];
  readonly deadLetters: QueuedMessage[] = [];

  constructor(
    readonly name: string,
    private readonly options = { maxReceives: 3, visibilityMs: 1_000 },
  ) {}

  send(body: string, messageId: string = randomUUID()): string {
    this.messages.push({ messageId, body, receiveCount: 0, visibleAt: 0 });
    return messageId;
  }

  receive(max: number, now = Date.now()): QueuedMessage[] {
    const batch: QueuedMessage[] = [];
    for (const message of this.messages) {
      if (batch.length >= max) break;
      if (message.visibleAt > now) continue;
      message.receiveCount += 1;
      message.visibleAt = now + this.options.visibilityMs;
      batch.push({ messageId: message.messageId, body: message.body, receiveCount: message.receiveCount });
    }
    return batch;
  }

  ack(messageIds: readonly string[]): void {
    this.remove((m) => messageIds.includes(m.messageId));
  }

  /** A failed delivery: the messages come back after their visibility timeout, or go to the dead letters. */
  nack(messageIds: readonly string[]): void {
    for (const message of this.messages.filter((m) => messageIds.includes(m.messageId))) {
      if (message.receiveCount >= this.options.maxReceives) {
        this.remove((m) => m === message);
        this.deadLetters.push({
          messageId: message.messageId,
          body: message.body,
          receiveCount: message.receiveCount,
        });
      }
    }
  }

  get depth(): number {
    return this.messages.length;
  }

  private remove(match: (m: QueuedMessage) => boolean): void {
    for (let i = this.messages.length - 1; i >= 0; i--)
      if (match(this.messages[i] as QueuedMessage)) this.messages.splice(i, 1);
  }
}
