/**
 * The conformance suite's Telegram side: a Telegram user in one chat of the simulator, who posts,
 * edits and reacts, and who watches what the bridge bot does in that chat (messages, edits,
 * deletions, the bot's reactions), as that user would see it.
 */
import type { Message, MessageEntity } from 'telegraf/types';
import type {
  ObservedRemoteEvent,
  ObservedRemoteMessage,
  RemoteAttachment,
  RemoteDriver,
  RemoteMessageRef,
  RemotePost,
} from '../conformance/remote-driver';
import { irToTelegramHtml, telegramEntitiesToIr } from './conformance-markup';
import type { TelegramSimulator } from './telegram-simulator';

interface Seen {
  editDate?: number;
  reactions: Set<string>;
}

export class TelegramConformanceDriver implements RemoteDriver {
  readonly chatId: string;
  private readonly observed: ObservedRemoteEvent[] = [];
  private readonly seen = new Map<number, Seen>();

  /**
   * @param chat - The simulator chat bridged to the test room; `userId` must be a member.
   * @param alias - The portal alias, when the test joined the room through one.
   */
  constructor(
    private readonly sim: TelegramSimulator,
    private readonly chat: number,
    private readonly userId: number,
    private readonly alias?: string,
  ) {
    this.chatId = String(chat);
  }

  post(message: RemotePost): Promise<RemoteMessageRef> {
    // Telegram has no emote or notice kinds: a person would just type the text.
    const sent = this.sim.asUser(this.userId).send(this.chat, irToTelegramHtml(message.body), {
      html: true,
      ...(message.replyTo ? { replyTo: Number(message.replyTo) } : {}),
    });
    return Promise.resolve({ id: String(sent.message_id) });
  }

  /** Images are sent "as a file" so that Telegram keeps their name and bytes. */
  postImage(image: RemoteAttachment): Promise<RemoteMessageRef> {
    const sent = this.sim.asUser(this.userId).send(this.chat, '', {
      document: {
        data: image.data,
        filename: image.name,
        ...(image.mimetype ? { mimetype: image.mimetype } : {}),
      },
    });
    return Promise.resolve({ id: String(sent.message_id) });
  }

  edit(messageId: string, message: RemotePost): Promise<void> {
    this.sim
      .asUser(this.userId)
      .edit(this.chat, Number(messageId), irToTelegramHtml(message.body), { html: true });
    return Promise.resolve();
  }

  react(messageId: string, key: string): Promise<void> {
    this.sim.asUser(this.userId).react(this.chat, Number(messageId), [key]);
    return Promise.resolve();
  }

  async expectEvent(
    predicate: (event: ObservedRemoteEvent) => boolean,
    timeoutMs: number,
  ): Promise<ObservedRemoteEvent> {
    try {
      return await this.sim.waitFor(() => {
        this.refresh();
        return this.observed.find(predicate);
      }, timeoutMs);
    } catch {
      const seen = this.observed.map((e) => JSON.stringify(e, (k, v) => (k === 'data' ? '<bytes>' : v)));
      throw new Error(`no matching Telegram event within ${timeoutMs} ms; saw:\n${seen.join('\n')}`);
    }
  }

  portalAlias(): string {
    if (!this.alias) throw new Error('this driver was made without a portal alias');
    return this.alias;
  }

  /** Compare the chat with what was seen before and record what the bot did since. */
  private refresh(): void {
    const botId = this.sim.bot.id;
    const present = new Set<number>();
    for (const message of this.sim.messages(this.chat)) {
      if (message.from?.id !== botId) continue;
      present.add(message.message_id);
      const editDate = (message as Message.CommonMessage).edit_date;
      let seen = this.seen.get(message.message_id);
      if (!seen) {
        seen = { reactions: new Set(), ...(editDate ? { editDate } : {}) };
        this.seen.set(message.message_id, seen);
        this.observed.push({ type: 'message', message: this.observe(message) });
      } else if (editDate !== seen.editDate) {
        seen.editDate = editDate;
        this.observed.push({
          type: 'edit',
          targetId: String(message.message_id),
          message: this.observe(message),
        });
      }
    }
    for (const [id, seen] of this.seen) {
      if (!present.has(id) && !this.observed.some((e) => e.type === 'delete' && e.targetId === String(id))) {
        this.observed.push({ type: 'delete', targetId: String(id) });
      }
      for (const reaction of this.botReactions(id)) {
        if (seen.reactions.has(reaction)) continue;
        seen.reactions.add(reaction);
        this.observed.push({ type: 'reaction', targetId: String(id), key: reaction });
      }
    }
    // Reactions the bot set on other people's messages (Matrix reactions to bridged Telegram messages).
    for (const message of this.sim.messages(this.chat)) {
      if (message.from?.id === botId) continue;
      let seen = this.seen.get(message.message_id);
      for (const reaction of this.botReactions(message.message_id)) {
        seen ??= { reactions: new Set() };
        if (seen.reactions.has(reaction)) continue;
        seen.reactions.add(reaction);
        this.observed.push({ type: 'reaction', targetId: String(message.message_id), key: reaction });
      }
      if (seen) this.seen.set(message.message_id, seen);
    }
  }

  private botReactions(messageId: number): string[] {
    return (this.sim.reactions(this.chat, messageId).get(this.sim.bot.id) ?? []).map((r) =>
      r.type === 'emoji' ? r.emoji : r.type,
    );
  }

  private observe(message: Message): ObservedRemoteMessage {
    const m = message as Partial<Message.TextMessage & Message.CaptionableMessage & Message.CommonMessage>;
    const text = m.text ?? m.caption ?? '';
    const entities: MessageEntity[] = m.entities ?? m.caption_entities ?? [];
    // The bot writes "<b>Name</b>: text" for messages and "* Name text" for emotes.
    const named = /^(.+?): /.exec(text);
    const nameIsBold = entities.some((e) => e.type === 'bold' && e.offset === 0);
    return {
      id: String(message.message_id),
      kind: text.startsWith('* ') ? 'emote' : 'text',
      text,
      rich: telegramEntitiesToIr(text, entities),
      ...(m.reply_to_message ? { replyTo: String(m.reply_to_message.message_id) } : {}),
      attachments: this.attachments(message),
      ...(named && nameIsBold ? { senderName: named[1] } : {}),
    };
  }

  private attachments(message: Message): RemoteAttachment[] {
    const m = message as Partial<Message.PhotoMessage & Message.DocumentMessage>;
    const file = m.photo?.[m.photo.length - 1] ?? m.document;
    if (!file) return [];
    return [
      {
        name: m.document?.file_name ?? 'photo.jpg',
        ...(m.document?.mime_type ? { mimetype: m.document.mime_type } : {}),
        data: this.sim.fileContents(file.file_id),
      },
    ];
  }
}
