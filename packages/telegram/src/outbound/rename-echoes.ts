/**
 * Telegram announces every rename with a service message, also to the bot that made it: `new_chat_title`
 * after `setChatTitle`, `forum_topic_edited` after `editForumTopic`. When the rename came from Matrix, that
 * announcement must not come back as a second rename and a notice. The bridge notes each rename it asks
 * for and drops the one announcement that matches it. Channel posts carry no author, so the match is by
 * chat and name, not by who renamed; an expectation Telegram never answers (it announces nothing when the
 * name did not change) lapses after a minute.
 */
import type { Message, Update } from 'telegraf/types';
import { topicChatId } from '../forum/forum-topics';
import { postedMessage } from '../inbound/posted-message';

const expectationLifetimeMs = 60_000;

type ServiceMessage = Message & { new_chat_title?: string; forum_topic_edited?: { name?: string } };

export class RenameEchoes {
  /**
   * Chat id (a topic's `<forum>/<thread>`) -> the names the bridge set there whose announcements are still
   * due, oldest first: two quick renames from Matrix are two announcements, and both must be dropped.
   */
  private readonly expected = new Map<string, Array<{ name: string; until: number }>>();

  /**
   * Run a rename of `chatId` to `name` on Telegram (resolving true when Telegram made it), expecting its
   * announcement from the start: the update can arrive before the Bot API call returns.
   */
  async renaming(chatId: string, name: string, rename: () => Promise<boolean>): Promise<boolean> {
    const expectation = { name, until: Date.now() + expectationLifetimeMs };
    this.expected.set(chatId, [...this.due(chatId), expectation]);
    let renamed = false;
    try {
      renamed = await rename();
      return renamed;
    } finally {
      // Refused or failed: no announcement will come.
      if (!renamed) this.remove(chatId, expectation);
    }
  }

  /** True (once per rename) when the update announces a rename the bridge itself made. */
  isEcho(update: Update): boolean {
    const renamed = renameIn(update);
    if (!renamed) return false;
    const match = this.due(renamed.chatId).find((e) => e.name === renamed.name);
    if (!match) return false;
    this.remove(renamed.chatId, match);
    return true;
  }

  /** The expectations of a chat that have not lapsed. */
  private due(chatId: string): Array<{ name: string; until: number }> {
    const now = Date.now();
    return (this.expected.get(chatId) ?? []).filter((e) => e.until >= now);
  }

  private remove(chatId: string, expectation: { name: string; until: number }): void {
    const left = this.due(chatId).filter((e) => e !== expectation);
    if (left.length) this.expected.set(chatId, left);
    else this.expected.delete(chatId);
  }
}

function renameIn(update: Update): { chatId: string; name: string } | undefined {
  const message = postedMessage(update) as ServiceMessage | undefined;
  if (!message) return undefined;
  if (message.new_chat_title !== undefined)
    return { chatId: String(message.chat.id), name: message.new_chat_title };
  const topicName = message.forum_topic_edited?.name;
  if (topicName !== undefined && message.message_thread_id)
    return { chatId: topicChatId(String(message.chat.id), message.message_thread_id), name: topicName };
  return undefined;
}
