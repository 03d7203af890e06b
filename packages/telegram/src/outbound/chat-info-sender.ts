/**
 * Matrix -> Telegram for the room's own info in a group or channel portal: renaming the room renames the
 * Telegram chat (`setChatTitle`), changing the room topic sets the chat's description
 * (`setChatDescription`). Both need the bot to be an admin with the "Change group info" right; without
 * it the room is told the fix (see {@link AdminChanges}). Private chats have no title to change.
 */
import type { MatrixSideEvent, Portal } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { AdminChange, AdminChanges } from './admin-changes';
import type { RenameEchoes } from './rename-echoes';

/** Telegram's longest chat title; it cuts longer ones rather than refusing them. */
const maxTitleLength = 128;

type InfoEvent = Extract<MatrixSideEvent, { kind: 'name' | 'topic' }>;

export class ChatInfoSender {
  constructor(
    private readonly deps: {
      telegram: Telegram;
      adminChanges: AdminChanges;
      echoes: RenameEchoes;
      /** After Telegram renamed the chat (a forum's space follows its name). */
      renamed(chatId: string, title: string): Promise<void>;
    },
  ) {}

  async send(portal: Portal, event: InfoEvent): Promise<void> {
    if (portal.kind === 'dm') return;
    if (event.kind === 'name') await this.rename(portal, event.name);
    else await this.describe(portal, event.topic);
  }

  private async rename(portal: Portal, name: string): Promise<void> {
    // Telegram needs a title; a Matrix room whose name was removed keeps the chat's title.
    const title = name.trim().slice(0, maxTitleLength);
    if (!title) return;
    const { telegram, adminChanges, echoes } = this.deps;
    const change = this.change(portal, (chat) => `The ${chat} could not be renamed`, 'telegram chat title');
    const renamed = await echoes.renaming(portal.chatId, title, () =>
      adminChanges.attempt(portal.roomId, change, () => telegram.setChatTitle(portal.chatId, title)),
    );
    if (renamed) await this.deps.renamed(portal.chatId, title);
  }

  private async describe(portal: Portal, topic: string): Promise<void> {
    const change = this.change(
      portal,
      (chat) => `The ${chat}’s description could not be changed`,
      'telegram chat description',
    );
    await this.deps.adminChanges.attempt(portal.roomId, change, async () => {
      try {
        await this.deps.telegram.setChatDescription(portal.chatId, topic);
      } catch (error) {
        // Already the description (e.g. the same topic set twice): nothing to do, nothing to report.
        if (!/not modified/i.test((error as { description?: string }).description ?? '')) throw error;
      }
    });
  }

  private change(
    portal: Portal,
    failure: (chat: AdminChange['chat']) => string,
    operation: string,
  ): AdminChange {
    const chat = portal.kind === 'channel' ? 'channel' : 'group';
    const right = chat === 'channel' ? 'Change channel info' : 'Change group info';
    return { failure: failure(chat), right, chat, operation };
  }
}
