/**
 * Matrix-side events -> Bot API calls. Matrix users are relayed by the bot with a name prefix;
 * replies use `reply_parameters` (JSON-encoded, working around telegraf 4.16.3 dropping the object
 * form from multipart uploads); reactions outside the bot's emoji set become a visible reply.
 */
import type { MatrixSideEvent, MatrixUser, MessageContent, Portal, RemoteRef } from '@trestle/core';
import { RemoteSendError } from '@trestle/core';
import type { Telegram } from 'telegraf';
import type { MessageEntity, ReactionType, TelegramEmoji } from 'telegraf/types';
import type { TelegramConfig } from '../config';
import { irToTelegram, type TelegramText } from '../format';
import { toRemoteSendError } from '../telegram-errors';
import { allowedReactions } from './allowed-reactions';
import { RelayNames } from './relay-name';
import type { SendPacer } from './send-pacer';
import { concatText, splitText } from './split-text';

/** Largest upload the Bot API accepts. */
export const maxBotUploadBytes = 50 * 1024 * 1024;
const maxCaptionLength = 1024;

type MediaContent = Extract<MessageContent, { type: 'media' }>;

export class TelegramSender {
  private readonly names = new RelayNames();

  constructor(
    private readonly telegram: Telegram,
    private readonly relay: TelegramConfig['relay'],
    /** Telegram user id for a mention target (a Telegram user's ghost), if any. */
    private readonly telegramUserId: (remoteId: string | undefined) => number | undefined,
    /** Keeps posts within Telegram's flood limits; none when pacing is off. */
    private readonly pacer?: SendPacer,
  ) {}

  /** Post in the chat's next free slot (see {@link SendPacer}); at once without pacing. */
  private paced<T>(chatId: string, post: () => Promise<T>): Promise<T> {
    return this.pacer ? this.pacer.run(chatId, post) : post();
  }

  /**
   * Deliver one Matrix-side event. `unprefixedSender` is the Matrix user whose messages go without a
   * name prefix (the paired user of a private chat: the Telegram user knows who they talk to).
   */
  async send(portal: Portal, event: MatrixSideEvent, unprefixedSender?: string): Promise<RemoteRef[]> {
    try {
      return await this.dispatch(portal, event, unprefixedSender);
    } catch (error) {
      throw toRemoteSendError(error, `telegram ${event.kind}`);
    }
  }

  private async dispatch(
    portal: Portal,
    event: MatrixSideEvent,
    unprefixedSender: string | undefined,
  ): Promise<RemoteRef[]> {
    const chatId = portal.chatId;
    const named = (sender: MatrixUser) => sender.userId !== unprefixedSender;
    switch (event.kind) {
      case 'message': {
        const placement = {
          ...(event.replyTo
            ? {
                reply_parameters: JSON.stringify({
                  message_id: Number(event.replyTo.id),
                  allow_sending_without_reply: true,
                }),
              }
            : {}),
          ...(event.threadRoot ? { message_thread_id: Number(event.threadRoot.id) } : {}),
        };
        return this.sendContent(chatId, event.sender, event.content, placement, named(event.sender));
      }
      case 'edit':
        return this.edit(chatId, event.sender, event.target, event.content, named(event.sender));
      case 'redaction':
        for (const ref of event.target) await this.telegram.deleteMessage(chatId, Number(ref.id));
        return [];
      case 'reaction':
        return this.react(chatId, event.sender, event.target, event.key);
      case 'reaction-removed':
        await this.telegram.setMessageReaction(chatId, Number(event.target.id), []);
        return [];
      case 'typing':
        if (event.typing) await this.telegram.sendChatAction(chatId, 'typing');
        return [];
      default:
        return [];
    }
  }

  private prefixed(
    chatId: string,
    sender: MatrixUser,
    content: MessageContent,
    named: boolean,
  ): TelegramText {
    const emote = content.type === 'text' && content.msgtype === 'emote';
    const prefix =
      named || emote
        ? this.names.prefix(emote ? this.relay.emote_format : this.relay.name_format, chatId, sender)
        : { text: '', entities: [] };
    const mention = {
      telegramUserId: (target: { kind: string; remoteId?: string }) =>
        target.kind === 'user' ? this.telegramUserId(target.remoteId) : undefined,
    };
    if (content.type === 'text') return concatText(prefix, irToTelegram(content.body, mention));
    if (content.type === 'media')
      return concatText(
        prefix,
        content.caption ? irToTelegram(content.caption, mention) : { text: '', entities: [] },
      );
    return concatText(prefix, {
      text: `📍 ${content.description ? `${content.description} ` : ''}https://www.openstreetmap.org/?mlat=${content.latitude}&mlon=${content.longitude}`,
      entities: [],
    });
  }

  private async sendContent(
    chatId: string,
    sender: MatrixUser,
    content: MessageContent,
    placement: Record<string, unknown>,
    named: boolean,
  ): Promise<RemoteRef[]> {
    const text = this.prefixed(chatId, sender, content, named);
    if (content.type !== 'media') {
      const refs: RemoteRef[] = [];
      for (const [part, piece] of splitText(text).entries()) {
        const sent = await this.paced(chatId, () =>
          this.telegram.sendMessage(chatId, piece.text, {
            entities: piece.entities,
            ...(part === 0 ? placement : {}),
          } as never),
        );
        refs.push({ id: String(sent.message_id), part });
      }
      return refs;
    }
    return [{ id: String(await this.sendMedia(chatId, content, text, placement)), part: 0 }];
  }

  private async sendMedia(
    chatId: string,
    content: MediaContent,
    caption: TelegramText,
    placement: Record<string, unknown>,
  ): Promise<number> {
    if (content.size !== undefined && content.size > maxBotUploadBytes) throw tooLarge(content);
    const data = await content.source.fetch();
    if (data.length > maxBotUploadBytes) throw tooLarge(content);
    const file = { source: data, filename: content.name };
    const captionFits = caption.text.length <= maxCaptionLength;
    const extra = {
      ...(caption.text && captionFits ? { caption: caption.text, caption_entities: caption.entities } : {}),
      ...placement,
    } as never;
    const gif = content.mimetype === 'image/gif';
    const sent = await this.paced<{ message_id: number }>(chatId, () => {
      if (content.kind === 'image' || content.kind === 'sticker') {
        return gif
          ? this.telegram.sendAnimation(chatId, file, extra)
          : this.telegram.sendPhoto(chatId, file, extra);
      }
      if (content.kind === 'video') return this.telegram.sendVideo(chatId, file, extra);
      if (content.kind === 'voice') return this.telegram.sendVoice(chatId, file, extra);
      if (content.kind === 'audio') return this.telegram.sendAudio(chatId, file, extra);
      return this.telegram.sendDocument(chatId, file, extra);
    });
    if (!captionFits) {
      // Too long for a caption: the text follows as a reply to the media.
      for (const piece of splitText(caption)) {
        await this.paced(chatId, () =>
          this.telegram.sendMessage(chatId, piece.text, {
            entities: piece.entities,
            reply_parameters: { message_id: sent.message_id },
          }),
        );
      }
    }
    return sent.message_id;
  }

  private async edit(
    chatId: string,
    sender: MatrixUser,
    target: RemoteRef[],
    content: MessageContent,
    named: boolean,
  ): Promise<RemoteRef[]> {
    const first = target[0];
    if (!first) return [];
    const text = this.prefixed(chatId, sender, content, named);
    const messageId = Number(first.id);
    if (content.type === 'media') {
      await this.telegram.editMessageCaption(chatId, messageId, undefined, text.text, {
        caption_entities: text.entities,
      } as never);
    } else {
      const [piece] = splitText(text);
      await this.telegram.editMessageText(chatId, messageId, undefined, piece!.text, {
        entities: piece!.entities as MessageEntity[],
      } as never);
    }
    return [];
  }

  private async react(
    chatId: string,
    sender: MatrixUser,
    target: RemoteRef,
    key: string,
  ): Promise<RemoteRef[]> {
    const emoji = allowedReactions.get(key.replace(/\uFE0F/g, ''));
    if (emoji) {
      const reaction: ReactionType[] = [{ type: 'emoji', emoji: emoji as TelegramEmoji }];
      await this.telegram.setMessageReaction(chatId, Number(target.id), reaction);
      return [{ id: target.id }];
    }
    // Bots can only set Telegram's fixed reaction set; show anything else as a small reply.
    const prefix = this.names.prefix(this.relay.emote_format, chatId, sender);
    const text = concatText(prefix, { text: `reacted with ${key}`, entities: [] });
    const sent = await this.paced(chatId, () =>
      this.telegram.sendMessage(chatId, text.text, {
        entities: text.entities,
        reply_parameters: { message_id: Number(target.id), allow_sending_without_reply: true },
      }),
    );
    return [{ id: String(sent.message_id) }];
  }
}

function tooLarge(content: MediaContent): RemoteSendError {
  return new RemoteSendError(`"${content.name}" is larger than the 50 MB Telegram bots may upload`, {
    retryable: false,
    status: 413,
  });
}
