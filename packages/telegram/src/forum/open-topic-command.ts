/**
 * `topic <name>`: a Matrix user opens a new topic in the bridged forum (`createForumTopic`, which needs the
 * bot's "Manage topics" admin right; without it the room is told the fix). Telegram sends the bot the
 * topic's `forum_topic_created` service message, which the bridge handles like any other topic's creation:
 * with `forum_topics: rooms` it opens the topic's room in the group's space and invites the portal room's
 * people; with `threads` it becomes the notice that the topic's Matrix thread hangs from.
 */
import type { CommandDefinition, Portal } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { TelegramConfig } from '../config';
import type { AdminChanges } from '../outbound/admin-changes';
import { parseTopicChatId } from './forum-topics';

export interface OpenTopicDeps {
  telegram: Telegram;
  adminChanges: AdminChanges;
  portalForRoom(roomId: string): Promise<Portal | undefined>;
  forumTopics: TelegramConfig['forum_topics'];
}

/** The command; `connected` gives its dependencies when it runs (commands are made before the bot starts). */
export function openTopicCommand(connected: () => OpenTopicDeps): CommandDefinition {
  return {
    name: 'topic',
    usage: 'topic <name>',
    summary: 'Open a new topic in this bridged Telegram forum.',
    level: 'user',
    run: async (command) => {
      const deps = connected();
      const name = command.args.join(' ').trim();
      if (!name) return command.reply('Usage: topic <name>');
      const portal = await deps.portalForRoom(command.roomId);
      if (!portal) return command.reply('This room is not bridged to Telegram.');
      if (portal.kind !== 'group')
        return command.reply('Topics exist only in Telegram groups with topics turned on.');
      // From a topic's own room, the new topic goes into the same forum.
      const forumChatId = parseTopicChatId(portal.chatId)?.forumChatId ?? portal.chatId;
      const change = {
        failure: 'The topic could not be opened',
        right: 'Manage topics',
        chat: 'group',
        operation: 'telegram topic creation',
      } as const;
      const opened = await deps.adminChanges.attempt(command.roomId, change, () =>
        deps.telegram.createForumTopic(forumChatId, name),
      );
      if (!opened) return;
      await command.reply(
        deps.forumTopics === 'rooms'
          ? `Opened the topic "${name}" on Telegram. Its room is being created in the group’s space, and everyone in this group’s room is invited.`
          : `Opened the topic "${name}" on Telegram. It is a thread in this room, starting at "🗂️ New topic: ${name}".`,
      );
    },
  };
}
