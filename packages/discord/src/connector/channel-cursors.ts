/**
 * Per-channel cursors: the newest Discord message id the bridge has handled in each channel, so
 * that after downtime it can fetch what it missed. Kept in memory and written to the store in the
 * background (at most once per channel per flush interval), because a store round trip per message
 * costs more than bridging the message. A crash can lose the last interval's advance; the catch-up
 * then fetches a few messages again, and the core's transaction ids keep them from posting twice.
 */
import type { KeyValueStore, Logger } from '@trestle/core';
import { compareSnowflakes } from './snowflake-order';
import { BackgroundSaver } from './background-saver';

/** kv namespace of per-channel cursors: the newest message id handled. */
export const CURSOR_NAMESPACE = 'discord.cursor';

const FLUSH_INTERVAL_MS = 1000;

export class ChannelCursors {
  private readonly newest = new Map<string, string>();
  /** What the store holds, once read or written: saves a read per flush. */
  private readonly persisted = new Map<string, string>();
  private readonly saver: BackgroundSaver;

  constructor(
    private readonly kv: KeyValueStore,
    log: Logger,
  ) {
    this.saver = new BackgroundSaver(FLUSH_INTERVAL_MS, 'discord cursor', (id) => this.save(id), log);
  }

  /** The newest message handled in a channel, or undefined if the channel was never bridged. */
  async get(channelId: string): Promise<string | undefined> {
    return this.newest.get(channelId) ?? (await this.kv.get<string>(CURSOR_NAMESPACE, channelId));
  }

  /** Record that `messageId` was handled; older ids than the current cursor are ignored. */
  advance(channelId: string, messageId: string): void {
    const current = this.newest.get(channelId);
    if (current && compareSnowflakes(messageId, current) <= 0) return;
    this.newest.set(channelId, messageId);
    this.saver.changed(channelId);
  }

  /** Write every pending advance to the store (also on shutdown). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  private async save(channelId: string): Promise<void> {
    const id = this.newest.get(channelId)!;
    const stored = this.persisted.get(channelId) ?? (await this.kv.get<string>(CURSOR_NAMESPACE, channelId));
    if (!stored || compareSnowflakes(id, stored) > 0) await this.kv.set(CURSOR_NAMESPACE, channelId, id);
    this.persisted.set(channelId, stored && compareSnowflakes(stored, id) > 0 ? stored : id);
  }
}
