/**
 * Matrix name and topic changes Discord refused for its limit of 2 per channel per 10 minutes, kept
 * until the limit's window has passed and then applied. Only the newest wanted value per channel
 * and field is kept: a later change from Matrix replaces it, one made on Discord meanwhile cancels
 * it. They are few, so all of them are one entry in the store, rewritten on every change: a
 * restart applies them when it is time.
 */
import type { KeyValueStore, Logger } from '@trestle/core';

export type ChannelField = 'name' | 'topic';

export interface DeferredEdit {
  channelId: string;
  field: ChannelField;
  /** The channel name (as Discord writes it) or topic wanted. */
  value: string;
  /** The channel's name or topic when the change was refused: a change made on Discord differs from it. */
  from: string;
  /** The Matrix user who asked, for Discord's audit log. */
  by: string;
  /** When Discord takes changes again (ms since 1970). */
  due: number;
}

/** kv namespace and key of the list of deferred edits. */
const NAMESPACE = 'discord.deferred-channel-edits';
const KEY = 'all';

export class DeferredChannelEdits {
  private readonly edits = new Map<string, DeferredEdit>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private saving: Promise<void> = Promise.resolve();

  /** `apply` is called with each edit when it is due (and again, if it defers it once more). */
  constructor(
    private readonly kv: KeyValueStore,
    private readonly log: Logger,
    private readonly apply: (edit: DeferredEdit) => Promise<void>,
  ) {}

  /** Take up the edits a previous run left; those already due are applied now. */
  async load(): Promise<void> {
    for (const edit of (await this.kv.get<DeferredEdit[]>(NAMESPACE, KEY)) ?? []) {
      this.edits.set(keyOf(edit), edit);
      this.schedule(edit);
    }
  }

  get(channelId: string, field: ChannelField): DeferredEdit | undefined {
    return this.edits.get(`${channelId} ${field}`);
  }

  /** Keep `edit` (replacing any for the same channel and field) and apply it when due. */
  defer(edit: DeferredEdit): void {
    this.edits.set(keyOf(edit), edit);
    this.schedule(edit);
    this.save();
  }

  /** Forget the edit waiting for a channel's field, if any (or only `edit`, when given). */
  cancel(channelId: string, field: ChannelField, edit?: DeferredEdit): void {
    const key = `${channelId} ${field}`;
    const current = this.edits.get(key);
    if (!current || (edit && current !== edit)) return;
    this.edits.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.save();
  }

  /** Stop the timers; the edits stay in the store for the next start. */
  async stop(): Promise<void> {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.saving;
  }

  private schedule(edit: DeferredEdit): void {
    const key = keyOf(edit);
    clearTimeout(this.timers.get(key));
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        if (this.edits.get(key) !== edit) return;
        this.apply(edit).catch((err: unknown) =>
          this.log.error('discord deferred channel change failed', {
            network: 'discord',
            chat: edit.channelId,
            err,
          }),
        );
      },
      Math.max(0, edit.due - Date.now()),
    );
    // Waiting for Discord's window never keeps the process alive.
    timer.unref();
    this.timers.set(key, timer);
  }

  /** Write the list behind earlier writes, so the store ends with the newest. */
  private save(): void {
    const all = [...this.edits.values()];
    this.saving = this.saving
      .then(() => this.kv.set(NAMESPACE, KEY, all))
      .catch((err: unknown) =>
        this.log.warn('discord deferred channel changes not saved; a restart may lose them', {
          network: 'discord',
          err,
        }),
      );
  }
}

function keyOf(edit: DeferredEdit): string {
  return `${edit.channelId} ${edit.field}`;
}
