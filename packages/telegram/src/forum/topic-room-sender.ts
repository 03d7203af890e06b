/**
 * Matrix -> Telegram for a forum topic's own room (`forum_topics: rooms`): messages go into the topic,
 * "typing…" shows in the topic, and renaming the room renames the topic (`editForumTopic`, which needs
 * the bot's "Manage topics" admin right; without it the room is told how to fix it; Telegram's
 * announcement of the rename is dropped as an echo, see {@link RenameEchoes}).
 */
import type { MatrixSideEvent, Portal, RemoteRef } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { AdminChanges } from '../outbound/admin-changes';
import type { RenameEchoes } from '../outbound/rename-echoes';
import type { TelegramSender } from '../outbound/telegram-sender';
import { toRemoteSendError } from '../telegram-errors';
import type { ForumTopics } from './forum-topics';

/** A forum topic's chat, split into its forum and thread (see `parseTopicChatId`). */
export interface TopicOfRoom {
  forumChatId: string;
  threadId: number;
}

export interface TopicRoomSenderDeps {
  telegram: Telegram;
  sender: TelegramSender;
  topics: ForumTopics | undefined;
  adminChanges: AdminChanges;
  echoes: RenameEchoes;
}

export class TopicRoomSender {
  constructor(private readonly deps: TopicRoomSenderDeps) {}

  async send(portal: Portal, topic: TopicOfRoom, event: MatrixSideEvent): Promise<RemoteRef[]> {
    const forum = { ...portal, chatId: topic.forumChatId };
    switch (event.kind) {
      case 'name':
        await this.rename(portal, topic, event.name);
        return [];
      case 'typing':
        if (event.typing) await this.typing(topic);
        return [];
      case 'message':
        // Unless the event already names a thread, it belongs in the room's topic.
        return this.deps.sender.send(
          forum,
          event.threadRoot ? event : { ...event, threadRoot: { id: String(topic.threadId) } },
        );
      default:
        return this.deps.sender.send(forum, event);
    }
  }

  private async typing(topic: TopicOfRoom): Promise<void> {
    try {
      await this.deps.telegram.sendChatAction(topic.forumChatId, 'typing', {
        message_thread_id: topic.threadId,
      });
    } catch (error) {
      throw toRemoteSendError(error, 'telegram typing');
    }
  }

  /** Rename the topic; Telegram's refusal (no right, topic gone) is told in the room, not retried. */
  private async rename(portal: Portal, topic: TopicOfRoom, name: string): Promise<void> {
    if (!name.trim()) return;
    const { telegram, adminChanges, echoes } = this.deps;
    const change = {
      failure: 'The topic could not be renamed',
      right: 'Manage topics',
      chat: 'group',
      operation: 'telegram topic rename',
    } as const;
    const renamed = await echoes.renaming(portal.chatId, name, () =>
      adminChanges.attempt(portal.roomId, change, () =>
        telegram.editForumTopic(topic.forumChatId, topic.threadId, { name }),
      ),
    );
    if (renamed) await this.deps.topics?.renamed(portal.chatId, name);
  }
}
