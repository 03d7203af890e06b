/**
 * What the bridge knows about the most recent bridged messages of each channel and each thread
 * (kept apart: a thread's messages are not in its channel's history): which ones it bridged
 * (from Discord, or from Matrix through the webhook), the edit of each it last bridged, and the
 * reactions it bridged. After downtime, the catch-up compares this with what Discord shows now to
 * find the edits, deletions and reactions that happened meanwhile (see `change-catch-up.ts`).
 *
 * Kept in memory and written to the store in the background, at most once per channel per flush
 * interval. A crash can lose the last interval's notes; changes to those messages during the
 * following downtime are then not caught up.
 */
import type { KeyValueStore, Logger } from '@trestle/core';
import { compareSnowflakes } from './snowflake-order';
import { BackgroundSaver } from './background-saver';

/** kv namespace: channel id -> {@link StoredChannel}. */
export const RECENT_NAMESPACE = 'discord.recent';
/** Messages remembered per channel: Discord's largest history page, fetched once per catch-up. */
export const RECENT_WINDOW = 100;

const FLUSH_INTERVAL_MS = 5000;

/** One remembered message. */
export interface RecentMessage {
  /** Posted from Matrix through the bridge's webhook (so only deletions and reactions matter). */
  fromMatrix?: boolean;
  /** `edited_timestamp` (ms) of the last edit bridged to Matrix. */
  edited?: number;
  /** Reactions bridged to Matrix, as `<user id> <reaction key>`. */
  reactions?: string[];
}

type StoredChannel = Record<string, RecentMessage>;

/** One person's reaction in {@link RecentMessage.reactions}. */
function reactionEntry(userId: string, key: string): string {
  return `${userId} ${key}`;
}

/** The bridged reactions of a remembered message: reaction key -> user ids. */
export function reactionsByKey(message: RecentMessage): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const entry of message.reactions ?? []) {
    const space = entry.indexOf(' ');
    const key = entry.slice(space + 1);
    if (!byKey.has(key)) byKey.set(key, new Set());
    byKey.get(key)!.add(entry.slice(0, space));
  }
  return byKey;
}

/** What a change gives once applied: one settled promise for all of them. */
const APPLIED: Promise<void> = Promise.resolve();

export class RecentMessages {
  private readonly channels = new Map<string, Promise<Map<string, RecentMessage>>>();
  /** The channels whose messages are loaded, for changes applied at once (one per bridged message). */
  private readonly loaded = new Map<string, Map<string, RecentMessage>>();
  private readonly saver: BackgroundSaver;

  constructor(
    private readonly kv: KeyValueStore,
    log: Logger,
  ) {
    this.saver = new BackgroundSaver(
      FLUSH_INTERVAL_MS,
      'discord recent messages',
      async (channelId) => {
        const messages = await this.load(channelId);
        await this.kv.set(RECENT_NAMESPACE, channelId, Object.fromEntries(messages) as StoredChannel);
      },
      log,
    );
  }

  /** Remember a message the bridge just bridged. */
  bridged(channelId: string, messageId: string, fromMatrix = false): Promise<void> {
    return this.change(channelId, (messages) => {
      if (messages.has(messageId)) return false;
      messages.set(messageId, fromMatrix ? { fromMatrix } : {});
      return true;
    });
  }

  /** Remember the edit bridged for a remembered message. */
  async edited(channelId: string, messageId: string, editedTimestamp: number): Promise<void> {
    await this.change(channelId, (messages) => {
      const message = messages.get(messageId);
      if (!message) return false;
      message.edited = Math.max(message.edited ?? 0, editedTimestamp);
      return true;
    });
  }

  /** Forget a message that is gone on both sides. */
  async removed(channelId: string, messageId: string): Promise<void> {
    await this.change(channelId, (messages) => messages.delete(messageId));
  }

  /** Remember a reaction bridged to Matrix (or its removal), on a remembered message. */
  async reacted(
    channelId: string,
    messageId: string,
    userId: string,
    key: string,
    added: boolean,
  ): Promise<void> {
    await this.change(channelId, (messages) => {
      const message = messages.get(messageId);
      if (!message) return false;
      const entry = reactionEntry(userId, key);
      const others = (message.reactions ?? []).filter((r) => r !== entry);
      const reactions = added ? [...others, entry] : others;
      if (reactions.length > 0) message.reactions = reactions;
      else delete message.reactions;
      return true;
    });
  }

  /** The newest {@link RECENT_WINDOW} remembered messages of a channel, oldest first. */
  async list(channelId: string): Promise<Array<[string, RecentMessage]>> {
    const messages = await this.load(channelId);
    return [...messages.entries()]
      .sort(([a], [b]) => compareSnowflakes(a, b))
      .slice(-RECENT_WINDOW)
      .map(([id, message]) => [id, structuredClone(message)]);
  }

  /** Write every pending change to the store (also on shutdown). */
  flush(): Promise<void> {
    return this.saver.flush();
  }

  /**
   * Apply a change; `apply` says whether it changed anything (only then is a save due). Not `async`: once
   * a channel is loaded, the change is made at once.
   */
  private change(channelId: string, apply: (messages: Map<string, RecentMessage>) => boolean): Promise<void> {
    const messages = this.loaded.get(channelId);
    if (!messages) return this.load(channelId).then(() => this.change(channelId, apply));
    if (!apply(messages)) return APPLIED;
    // Trimmed in batches: finding the oldest on every new message costs more than the message.
    if (messages.size > 2 * RECENT_WINDOW) {
      const oldestFirst = [...messages.keys()].sort(compareSnowflakes);
      for (const id of oldestFirst.slice(0, messages.size - RECENT_WINDOW)) messages.delete(id);
    }
    this.saver.changed(channelId);
    return APPLIED;
  }

  private load(channelId: string): Promise<Map<string, RecentMessage>> {
    let loaded = this.channels.get(channelId);
    if (!loaded) {
      loaded = this.kv.get<StoredChannel>(RECENT_NAMESPACE, channelId).then((stored) => {
        const messages = new Map(Object.entries(stored ?? {}));
        this.loaded.set(channelId, messages);
        return messages;
      });
      // A failed read is retried on next use rather than remembered.
      loaded.catch(() => this.channels.delete(channelId));
      this.channels.set(channelId, loaded);
    }
    return loaded;
  }
}
