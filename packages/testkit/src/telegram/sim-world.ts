/**
 * The simulated Telegram's rules for changing the world: posting and editing messages, reactions,
 * and the bot's membership — each producing exactly the updates Telegram would send the bot.
 * Both the Bot API methods (acting as the bot) and the user driver (acting as people) go through here.
 */
import { EventEmitter } from 'node:events';
import type { Chat, ChatMember, ReactionType, ReplyParameters, User } from 'telegraf/types';
import { apiErrors } from './api-error';
import { SimState, type ChatState, type MemberStatus, type StoredMessage } from './sim-state';
import { UpdateQueue } from './update-queue';
import { botSeesMessage, isAdminStatus, reachesBotWhenOwn } from './visibility';

export interface SimLimits {
  /** Largest multipart upload the Bot API accepts (50 MB). */
  uploadBytes: number;
  /** Largest file `getFile` serves to bots (20 MB). */
  downloadBytes: number;
}

export interface SimOptions {
  /** BotFather's privacy mode (on by default, as for new bots). */
  privacyMode: boolean;
  limits: SimLimits;
}

/** Where a new message goes in its chat. */
export interface PostPlacement {
  replyTo?: ReplyParameters;
  /** Forum topic (thread) id. */
  threadId?: number;
  mediaGroupId?: string;
}

const now = () => Math.floor(Date.now() / 1000);

export class SimWorld extends EventEmitter {
  readonly queue = new UpdateQueue(100000001);
  /** `sendChatAction` calls, oldest first. */
  readonly chatActions: Array<{ chatId: number; action: string; threadId?: number }> = [];

  constructor(
    readonly state: SimState,
    readonly options: SimOptions,
  ) {
    super();
    // Every test waiting for a message listens for `change`; dozens at once (a latency bench) is normal.
    this.setMaxListeners(0);
  }

  get bot(): User {
    return this.state.bot;
  }

  /** The `chat` object embedded in messages and updates. */
  chatObject(chat: ChatState): Chat {
    if (chat.type === 'private') {
      const peer = chat.peer!;
      return {
        id: chat.id,
        type: 'private',
        first_name: peer.first_name,
        ...(peer.last_name ? { last_name: peer.last_name } : {}),
        ...(peer.username ? { username: peer.username } : {}),
      };
    }
    if (chat.type === 'group') return { id: chat.id, type: 'group', title: chat.title ?? '' };
    if (chat.type === 'channel') {
      return {
        id: chat.id,
        type: 'channel',
        title: chat.title ?? '',
        ...(chat.username ? { username: chat.username } : {}),
      };
    }
    return {
      id: chat.id,
      type: 'supergroup',
      title: chat.title ?? '',
      ...(chat.username ? { username: chat.username } : {}),
      ...(chat.isForum ? { is_forum: true as const } : {}),
    };
  }

  /** Post a message into a chat as `from` (ignored in channels, whose posts come from the channel). */
  post(
    chat: ChatState,
    from: User,
    content: Partial<StoredMessage>,
    placement: PostPlacement = {},
  ): StoredMessage {
    const message: StoredMessage = {
      message_id: chat.nextMessageId++,
      date: now(),
      chat: this.chatObject(chat),
      ...(chat.type === 'channel' ? { sender_chat: this.chatObject(chat) } : { from }),
      ...content,
    };
    this.placeInThread(chat, message, placement);
    if (placement.mediaGroupId) message.media_group_id = placement.mediaGroupId;
    chat.messages.set(message.message_id, message);
    if (from.id !== this.bot.id || reachesBotWhenOwn(message)) {
      this.deliverIfVisible(chat, message, chat.type === 'channel' ? 'channel_post' : 'message');
    }
    this.emit('change');
    return message;
  }

  /** Replace a message's text or caption (already composed), marking it edited. */
  edit(chat: ChatState, message: StoredMessage, changes: Partial<StoredMessage>, by: User): StoredMessage {
    Object.assign(message, changes, { edit_date: now() });
    if (by.id !== this.bot.id) {
      this.deliverIfVisible(
        chat,
        message,
        chat.type === 'channel' ? 'edited_channel_post' : 'edited_message',
      );
    }
    this.emit('change');
    return message;
  }

  /** Remove a message; Telegram sends bots no update for deletions. */
  remove(chat: ChatState, messageId: number): void {
    chat.messages.delete(messageId);
    chat.reactions.delete(messageId);
    this.emit('change');
  }

  /** Set `user`'s reactions on a message; other people's reactions reach an admin bot that asked for them. */
  react(chat: ChatState, messageId: number, user: User, reactions: ReactionType[]): void {
    if (!chat.messages.has(messageId)) throw apiErrors.badRequest('MESSAGE_ID_INVALID');
    const byUser = chat.reactions.get(messageId) ?? new Map<number, ReactionType[]>();
    const old = byUser.get(user.id) ?? [];
    byUser.set(user.id, reactions);
    chat.reactions.set(messageId, byUser);
    const botIsAdmin = isAdminStatus(chat.members.get(this.bot.id));
    if (user.id !== this.bot.id && !user.is_bot && botIsAdmin && chat.type !== 'channel') {
      this.queue.push({
        message_reaction: {
          chat: this.chatObject(chat),
          message_id: messageId,
          user,
          date: now(),
          old_reaction: old,
          new_reaction: reactions,
        },
      });
    }
    this.emit('change');
  }

  /** Change the bot's membership, sending the `my_chat_member` update Telegram sends. */
  setBotStatus(chat: ChatState, status: MemberStatus, by: User): void {
    const old = chat.members.get(this.bot.id) ?? 'left';
    if (old === status) return;
    chat.members.set(this.bot.id, status);
    this.queue.push({
      my_chat_member: {
        chat: this.chatObject(chat),
        from: by,
        date: now(),
        old_chat_member: this.memberObject(chat, this.bot, old),
        new_chat_member: this.memberObject(chat, this.bot, status),
      },
    });
    this.emit('change');
  }

  /** A ChatMember object as getChatMember and my_chat_member carry it. */
  memberObject(
    chat: ChatState,
    user: User,
    status: MemberStatus = chat.members.get(user.id) ?? 'left',
  ): ChatMember {
    switch (status) {
      case 'creator':
        return { status, user, is_anonymous: false };
      case 'administrator':
        return {
          status,
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: user.id !== this.bot.id || chat.botChangesInfo !== false,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          ...(chat.type === 'channel'
            ? { can_post_messages: true, can_edit_messages: true }
            : { can_pin_messages: true }),
          ...(chat.isForum
            ? { can_manage_topics: user.id !== this.bot.id || chat.botManagesTopics !== false }
            : {}),
        };
      case 'kicked':
        return { status, user, until_date: 0 };
      case 'restricted':
        return {
          status,
          user,
          is_member: true,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
          until_date: 0,
        };
      default:
        return { status, user };
    }
  }

  private placeInThread(chat: ChatState, message: StoredMessage, placement: PostPlacement): void {
    let threadId = placement.threadId;
    if (placement.replyTo) {
      const replyChat =
        placement.replyTo.chat_id === undefined ? chat : this.state.chat(placement.replyTo.chat_id);
      const target = replyChat.messages.get(placement.replyTo.message_id);
      if (!target && !placement.replyTo.allow_sending_without_reply) {
        throw apiErrors.badRequest('message to be replied not found');
      }
      if (target) {
        const { reply_to_message: _dropped, ...replied } = target;
        message.reply_to_message = replied as StoredMessage['reply_to_message'];
        threadId ??= target.message_thread_id;
      }
    }
    if (threadId !== undefined && chat.isForum) {
      if (!chat.topics.has(threadId)) throw apiErrors.badRequest('message thread not found');
      message.message_thread_id = threadId;
      message.is_topic_message = true;
      // As on Telegram, a message in a topic that replies to nothing else "replies" to the topic's creation.
      const root = chat.messages.get(threadId);
      if (!message.reply_to_message && root && threadId !== message.message_id) {
        const { reply_to_message: _dropped, ...replied } = root;
        message.reply_to_message = replied as StoredMessage['reply_to_message'];
      }
    }
  }

  private deliverIfVisible(
    chat: ChatState,
    message: StoredMessage,
    kind: 'message' | 'edited_message' | 'channel_post' | 'edited_channel_post',
  ): void {
    if (!botSeesMessage(chat, message, this.bot, this.options.privacyMode)) return;
    // Deliver a snapshot: later edits must not change an update already queued.
    const snapshot = structuredClone(message);
    this.queue.push({ [kind]: snapshot } as unknown as Parameters<UpdateQueue['push']>[0]);
  }
}
