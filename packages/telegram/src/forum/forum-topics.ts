/**
 * Forum topics as rooms (`forum_topics: rooms`): each topic of a forum supergroup is its own remote chat,
 * `<forum chat id>/<message_thread_id>`, which the core turns into a room in a space for the forum
 * (see the core's `ChildChatConnector`). The Bot API cannot look a topic up, so names are learnt from the
 * service messages that carry them (created, edited, and the creation message that topic messages reply
 * to) and kept in the bridge's key/value store. Which topic each message is in is stored too: a reaction
 * update names only the chat and the message, so without it a reaction after a restart could not find
 * the topic's room.
 */
import type { ChildChatInfo, KeyValueStore, RemoteEvent, SpaceInfo } from '@trestle/core';
import type { Message, Update } from 'telegraf/types';

const namespace = 'telegram.forum_topics';
/** Key/value namespace of `<forum>:<message id>` -> thread id, for every topic message seen. */
const messageTopicNamespace = 'telegram.forum_message_topics';
/** How many recent forum messages keep their topic in memory too (older ones are read from the store). */
const cachedMessages = 10_000;

/** The remote chat id of a forum topic. */
export function topicChatId(forumChatId: string, threadId: number | string): string {
  return `${forumChatId}/${threadId}`;
}

/** The forum and thread of a topic's chat id, or undefined for any other chat id. */
export function parseTopicChatId(chatId: string): { forumChatId: string; threadId: number } | undefined {
  const match = /^(-\d+)\/(\d+)$/.exec(chatId);
  return match ? { forumChatId: match[1]!, threadId: Number(match[2]) } : undefined;
}

type TopicMessage = Message.CommonMessage & {
  forum_topic_created?: { name: string };
  forum_topic_edited?: { name?: string };
};

export class ForumTopics {
  /** Forum chat id -> title, as last seen. */
  private readonly titles = new Map<string, string>();
  /** `<forum>:<message id>` -> thread id, for the most recent forum messages (all are in the store). */
  private readonly threadOfMessage = new Map<string, number>();
  /** Topic chat id -> name, as stored (saves a store read per message). */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly kv: KeyValueStore,
    /** Brings a forum's space up to date (the core's `updateSpace`); false when the forum has none yet. */
    private readonly updateSpace: (space: SpaceInfo) => Promise<boolean> = () => Promise.resolve(false),
  ) {}

  /**
   * Move the events of one update into their topic's chat: messages and edits by the message's
   * `message_thread_id`, reactions by the topic their message was seen in. Messages of the General
   * topic (no thread) stay in the forum's own chat. Learns topic names from the update on the way.
   */
  async route(update: Update, events: RemoteEvent[]): Promise<RemoteEvent[]> {
    const message = messageOf(update);
    if (message) {
      const threadId = await this.observe(message);
      if (threadId === undefined) return events;
      return events.map((event) => {
        if (event.kind === 'chat-migrated' || event.kind === 'profile') return event;
        const moved = { ...event, chatId: topicChatId(event.chatId, threadId) };
        if (moved.kind === 'message') delete moved.threadRoot;
        return moved;
      });
    }
    if ('message_reaction' in update) {
      const { chat, message_id } = update.message_reaction;
      const threadId = await this.topicOfMessage(`${chat.id}:${message_id}`);
      if (threadId === undefined) return events;
      return events.map((event) =>
        'chatId' in event && event.chatId ? { ...event, chatId: topicChatId(event.chatId, threadId) } : event,
      );
    }
    return events;
  }

  /** A topic's rename as a change of its room's name (after the notice that says so). */
  renameEvent(update: Update): RemoteEvent | undefined {
    const message = messageOf(update) as TopicMessage | undefined;
    const name = message?.forum_topic_edited?.name;
    if (!message || !name || !message.message_thread_id) return undefined;
    return {
      kind: 'chat-info',
      chatId: topicChatId(String(message.chat.id), message.message_thread_id),
      name,
    };
  }

  /** Remember a topic's new name, given on Matrix and already set on Telegram. */
  async renamed(chatId: string, name: string): Promise<void> {
    await this.kv.set(namespace, chatId, name);
    this.names.set(chatId, name);
  }

  /**
   * The forum was renamed (on Telegram, or from Matrix and Telegram made it): its space, named after the
   * group, takes the new name, and a space created later starts with it.
   */
  async forumRenamed(forumChatId: string, title: string): Promise<void> {
    this.titles.set(forumChatId, title);
    await this.updateSpace({ id: forumChatId, name: title });
  }

  /** What the core needs to create the room of a topic: its name, its forum, and the forum's space. */
  async childChatFor(chatId: string): Promise<ChildChatInfo | undefined> {
    const topic = parseTopicChatId(chatId);
    if (!topic) return undefined;
    const name =
      this.names.get(chatId) ?? (await this.kv.get<string>(namespace, chatId)) ?? `Topic ${topic.threadId}`;
    const forumName = this.titles.get(topic.forumChatId) ?? topic.forumChatId;
    return {
      chatId,
      parentChatId: topic.forumChatId,
      kind: 'group',
      name,
      space: { id: topic.forumChatId, name: forumName },
    };
  }

  /** Remember the forum's title, the message's topic and any topic name it carries; returns the thread id. */
  private async observe(message: TopicMessage): Promise<number | undefined> {
    const chat = message.chat as { id: number; title?: string; is_forum?: boolean };
    if (!chat.is_forum || !message.is_topic_message || !message.message_thread_id) return undefined;
    const forumChatId = String(chat.id);
    const threadId = message.message_thread_id;
    if (chat.title) this.titles.set(forumChatId, chat.title);
    const root = message.reply_to_message as TopicMessage | undefined;
    const name =
      message.forum_topic_created?.name ??
      message.forum_topic_edited?.name ??
      (root?.message_id === threadId ? root.forum_topic_created?.name : undefined);
    const key = topicChatId(forumChatId, threadId);
    if (name && this.names.get(key) !== name) {
      await this.kv.set(namespace, key, name);
      this.names.set(key, name);
    }
    const messageKey = `${forumChatId}:${message.message_id}`;
    // An edit is in the topic its message was already recorded in.
    if (!this.threadOfMessage.has(messageKey)) await this.kv.set(messageTopicNamespace, messageKey, threadId);
    this.cacheTopicOfMessage(messageKey, threadId);
    return threadId;
  }

  /** The thread a forum message (`<forum>:<message id>`) was seen in, if it was in a topic. */
  private async topicOfMessage(messageKey: string): Promise<number | undefined> {
    const cached = this.threadOfMessage.get(messageKey);
    if (cached !== undefined) return cached;
    const stored = await this.kv.get<number>(messageTopicNamespace, messageKey);
    if (stored !== undefined) this.cacheTopicOfMessage(messageKey, stored);
    return stored;
  }

  private cacheTopicOfMessage(messageKey: string, threadId: number): void {
    this.threadOfMessage.set(messageKey, threadId);
    if (this.threadOfMessage.size > cachedMessages) {
      this.threadOfMessage.delete(this.threadOfMessage.keys().next().value!);
    }
  }
}

function messageOf(update: Update): TopicMessage | undefined {
  if ('message' in update) return update.message as TopicMessage;
  if ('edited_message' in update) return update.edited_message as TopicMessage;
  return undefined;
}
