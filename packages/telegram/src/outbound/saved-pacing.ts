/**
 * Keeps the send pacer's windows in the bridge's key/value store, so that the next process goes on
 * pacing where this one stopped: Telegram still counts the posts of the last minute after a restart.
 * Saved at shutdown, and while posts are being sent at most every couple of seconds (a crash then loses
 * at most that much); an idle bridge writes nothing. Flood limits are per bot, so the windows are too.
 */
import type { KeyValueStore, Logger } from '@trestle/core';
import type { PacerWindows, SendPacer } from './send-pacer';

const namespace = 'telegram.send-pacing';
/** How often a busy bridge saves its windows. */
const saveEveryMs = 2_000;

export class SavedPacing {
  private timer: NodeJS.Timeout | undefined;
  private savedVersion: number;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly pacer: SendPacer,
    private readonly kv: KeyValueStore,
    /** The bot's id: another bot's windows are not this one's. */
    private readonly botId: number,
    private readonly log: Logger,
    private readonly intervalMs = saveEveryMs,
  ) {
    this.savedVersion = pacer.version;
  }

  /** Count what the previous process sent, then save from time to time while posts are sent. */
  async start(): Promise<void> {
    const saved = await this.kv.get<PacerWindows>(namespace, this.key);
    if (saved && typeof saved.savedAt === 'number') this.pacer.restore(saved);
    this.savedVersion = this.pacer.version;
    this.timer = setInterval(() => void this.save(), this.intervalMs);
    this.timer.unref();
  }

  /** Stop saving from time to time, and save once more (the core has drained its queues by now). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.save();
  }

  /** Save the windows if they changed since the last save; a failure is logged and tried again later. */
  private save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const version = this.pacer.version;
      if (version === this.savedVersion) return;
      try {
        await this.kv.set(namespace, this.key, this.pacer.windows());
        this.savedVersion = version;
      } catch (err) {
        this.log.warn('telegram send pacing not saved', { err });
      }
    });
    return this.saving;
  }

  private get key(): string {
    return `windows:${this.botId}`;
  }
}
