/**
 * Acting as a Telegram user in tests: sending (text, media, albums, anything else raw), editing
 * and reacting, with the same composition rules (trimming, auto-detected entities) as the bot's
 * messages. Each action changes the simulated world, which queues the updates Telegram would send.
 */
import type { Message, MessageEntity, ReactionType, User } from 'telegraf/types';
import { composeText } from './message-text';
import { guessMimetype, mediaFields, type MediaKind } from './media-files';
import { RequestParams } from './request-params';
import type { ChatState, StoredMessage } from './sim-state';
import type { PostPlacement, SimWorld } from './sim-world';

/** A file a user sends. */
export interface UserMedia {
  data: Buffer;
  filename?: string;
  mimetype?: string;
  /** Seconds, for video/voice/audio/animation. */
  duration?: number;
}

/** Options for {@link UserDriver.send}. Give one media key to send media with `text` as caption. */
export interface UserSendOptions extends Partial<Record<MediaKind, UserMedia | Buffer>> {
  /** Explicit entities (offsets in UTF-16 units); otherwise only auto-detected ones are added. */
  entities?: MessageEntity[];
  /** Parse `text` as Bot API HTML instead (handy for formatted test input). */
  html?: boolean;
  replyTo?: number;
  /** Forum topic id. */
  threadId?: number;
}

const defaultNames: Record<MediaKind, string> = {
  photo: 'photo.jpg',
  document: 'file.bin',
  video: 'video.mp4',
  animation: 'animation.mp4',
  voice: 'voice.ogg',
  audio: 'audio.mp3',
  sticker: 'sticker.webp',
};

export class UserDriver {
  constructor(
    private readonly world: SimWorld,
    readonly user: User,
  ) {}

  /** Send a text message, or media with `text` as its caption. */
  send(chatId: number, text: string, options: UserSendOptions = {}): Message {
    const chat = this.chatAsMember(chatId);
    const mediaKind = (Object.keys(defaultNames) as MediaKind[]).find((kind) => options[kind] !== undefined);
    const composed = text
      ? composeText(
          { text, entities: options.entities, ...(options.html ? { parseMode: 'HTML' } : {}) },
          mediaKind ? 'caption' : 'text',
          (id) => this.world.state.users.get(id),
        )
      : undefined;
    let content: Partial<StoredMessage>;
    if (mediaKind) {
      content = {
        ...this.mediaContent(mediaKind, options[mediaKind]!),
        ...(composed ? { caption: composed.text } : {}),
        ...(composed?.entities.length ? { caption_entities: composed.entities } : {}),
      };
    } else {
      content = {
        text: composed?.text ?? '',
        ...(composed?.entities.length ? { entities: composed.entities } : {}),
      };
    }
    return this.world.post(chat, this.user, content, this.placement(options)) as Message;
  }

  /** Send an album: one message per item sharing a `media_group_id`, the caption on the first. */
  sendAlbum(
    chatId: number,
    items: Array<{ kind: 'photo' | 'video' | 'document' | 'audio'; media: UserMedia | Buffer }>,
    caption?: string,
  ): Message[] {
    const chat = this.chatAsMember(chatId);
    const mediaGroupId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
    return items.map((item, index) => {
      const content: Partial<StoredMessage> = {
        ...this.mediaContent(item.kind, item.media),
        ...(index === 0 && caption ? { caption } : {}),
      };
      return this.world.post(chat, this.user, content, { mediaGroupId }) as Message;
    });
  }

  /** Send any other content as-is: `{ location }`, `{ poll }`, `{ contact }`, `{ dice }`, `{ venue, location }` … */
  sendRaw(
    chatId: number,
    content: Partial<StoredMessage>,
    options: Pick<UserSendOptions, 'replyTo' | 'threadId'> = {},
  ): Message {
    return this.world.post(this.chatAsMember(chatId), this.user, content, this.placement(options)) as Message;
  }

  /** Edit one of this user's messages (text, or caption for media). */
  edit(
    chatId: number,
    messageId: number,
    text: string,
    options: Pick<UserSendOptions, 'entities' | 'html'> = {},
  ): Message {
    const chat = this.chatAsMember(chatId);
    const message = this.world.state.message(chat, messageId);
    if (message.from?.id !== this.user.id)
      throw new Error(`user ${this.user.id} cannot edit message ${messageId}`);
    const isText = message.text !== undefined;
    const composed = composeText(
      { text, entities: options.entities, ...(options.html ? { parseMode: 'HTML' } : {}) },
      isText ? 'text' : 'caption',
      (id) => this.world.state.users.get(id),
    );
    const entities = composed.entities.length ? composed.entities : undefined;
    const changes = isText
      ? { text: composed.text, entities }
      : { caption: composed.text, caption_entities: entities };
    return this.world.edit(chat, message, changes, this.user) as Message;
  }

  /** Set this user's reactions on a message (an empty list removes them). */
  react(chatId: number, messageId: number, emoji: string[]): void {
    const reactions = emoji.map((e) => ({ type: 'emoji', emoji: e }) as ReactionType);
    this.world.react(this.chatAsMember(chatId), messageId, this.user, reactions);
  }

  private placement(options: Pick<UserSendOptions, 'replyTo' | 'threadId'>): PostPlacement {
    return {
      ...(options.replyTo !== undefined ? { replyTo: { message_id: options.replyTo } } : {}),
      ...(options.threadId !== undefined ? { threadId: options.threadId } : {}),
    };
  }

  private mediaContent(kind: MediaKind, media: UserMedia | Buffer): Partial<StoredMessage> {
    const given: UserMedia = Buffer.isBuffer(media) ? { data: media } : media;
    const filename = given.filename ?? defaultNames[kind];
    const file = this.world.state.addFile(
      given.data,
      guessMimetype(filename, given.mimetype ?? ''),
      filename,
      `${kind}s`,
    );
    const params = new RequestParams(given.duration !== undefined ? { duration: given.duration } : {});
    return mediaFields(kind, file, params) as Partial<StoredMessage>;
  }

  private chatAsMember(chatId: number): ChatState {
    const chat = this.world.state.chat(chatId);
    const status = chat.members.get(this.user.id);
    if (chat.type !== 'private' && (status === undefined || status === 'left' || status === 'kicked')) {
      throw new Error(`user ${this.user.id} is not a member of chat ${chatId}`);
    }
    return chat;
  }
}
