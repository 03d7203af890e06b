/**
 * Per-channel state kept in memory and saved to the store in the background: each changed channel
 * is saved at most once per interval (and on {@link BackgroundSaver.flush}, e.g. at shutdown),
 * because a store round trip per message costs more than bridging the message. A failed save is
 * logged and retried with the next flush.
 */
import type { Logger } from '@trestle/core';

export class BackgroundSaver {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly intervalMs: number,
    /** What is saved, for the log line of a failure ("discord cursor"). */
    private readonly what: string,
    private readonly save: (channelId: string) => Promise<void>,
    private readonly log: Logger,
  ) {}

  /** The channel changed: save it within the interval. */
  changed(channelId: string): void {
    this.dirty.add(channelId);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs).unref();
  }

  /** Save every changed channel now; resolves when done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const channels = [...this.dirty];
    this.dirty.clear();
    this.flushing = this.flushing.then(async () => {
      for (const channelId of channels) {
        try {
          await this.save(channelId);
        } catch (err) {
          this.dirty.add(channelId);
          this.log.warn(`${this.what} not saved`, { network: 'discord', chat: channelId, err });
        }
      }
    });
    return this.flushing;
  }
}
