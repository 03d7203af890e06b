/**
 * A Telegram Bot API simulator for tests: serves the Bot API on loopback for one bot (point
 * telegraf at {@link TelegramSimulator.apiRoot}), and lets tests act as Telegram itself and its users.
 *
 * ```ts
 * const sim = await TelegramSimulator.start();
 * const alice = sim.addUser({ first_name: 'Alice' });
 * const group = sim.createChat({ type: 'supergroup', title: 'Team', members: [alice.id] });
 * const bot = new Telegraf(sim.token, { telegram: { apiRoot: sim.apiRoot } });
 * sim.asUser(alice.id).send(group.id, 'hello');
 * ```
 */
import type { Chat, Message, ReactionType, Update, User } from 'telegraf/types';
import { apiErrors, TelegramApiError } from './api-error';
import { SimState, type ChatState, type ChatType, type MemberStatus, type StoredMessage } from './sim-state';
import { SimWorld, type SimLimits } from './sim-world';
import { SimulatorServer, type RecordedCall } from './simulator-server';
import { UserDriver } from './user-driver';
import { FloodLimits, telegramFloodLimits, type FloodLimitOptions } from './flood-limits';
import { openForumTopic } from './forum-methods';
import { renameChat } from './chat-info-methods';

export interface TelegramSimulatorOptions {
  /** Bot token `<bot id>:<secret>`; the bot's user id is the part before the colon. */
  token?: string;
  botUsername?: string;
  botName?: string;
  /** BotFather's privacy mode; on by default, as for new bots. */
  privacyMode?: boolean;
  /**
   * Enforce Telegram's flood limits with 429s (off by default): `true` for Telegram's documented
   * figures, or custom windows (e.g. small ones for fast tests).
   */
  floodLimits?: boolean | FloodLimitOptions;
  /** Override the Bot API size limits (50 MB upload, 20 MB download), e.g. to test them cheaply. */
  limits?: Partial<SimLimits>;
}

export interface CreateChatOptions {
  type: ChatType;
  title?: string;
  username?: string;
  /** Supergroups only: topics enabled. */
  isForum?: boolean;
  /** Users in the chat; the first is its creator. For private chats: the one user. */
  members?: number[];
  /** The bot's place in the chat (default `member`; `none` = not added). */
  bot?: 'member' | 'administrator' | 'none';
}

export interface NewUser {
  first_name: string;
  last_name?: string;
  username?: string;
  is_bot?: boolean;
  /** Profile photos, newest first. */
  photos?: Buffer[];
}

export class TelegramSimulator {
  private nextUserId = 1000001;

  private constructor(
    private readonly world: SimWorld,
    private readonly server: SimulatorServer,
    readonly token: string,
    readonly apiRoot: string,
  ) {}

  /** Start a simulator listening on a free loopback port. */
  static async start(options: TelegramSimulatorOptions = {}): Promise<TelegramSimulator> {
    const token = options.token ?? '123456789:AAHsimulatedTelegramBotTokenForTests';
    const botId = Number(token.split(':')[0]);
    if (!Number.isInteger(botId)) throw new Error('a bot token starts with the bot id: "<id>:<secret>"');
    const bot: User = {
      id: botId,
      is_bot: true,
      first_name: options.botName ?? 'Trestle Bridge',
      username: options.botUsername ?? 'trestle_bridge_bot',
    };
    const world = new SimWorld(new SimState(bot), {
      privacyMode: options.privacyMode ?? true,
      limits: { uploadBytes: 50 * 1024 * 1024, downloadBytes: 20 * 1024 * 1024, ...options.limits },
    });
    const flood = options.floodLimits === true ? telegramFloodLimits : options.floodLimits || undefined;
    const server = new SimulatorServer(world, token, flood ? new FloodLimits(flood) : undefined);
    const port = await server.listen();
    return new TelegramSimulator(world, server, token, `http://127.0.0.1:${port}`);
  }

  async stop(): Promise<void> {
    await this.server.close();
  }

  /** The bot's own user. */
  get bot(): User {
    return this.world.bot;
  }

  /** Bot API calls received so far, oldest first. */
  get calls(): readonly RecordedCall[] {
    return this.server.calls;
  }

  /** `sendChatAction` calls received so far. */
  get chatActions(): ReadonlyArray<{ chatId: number; action: string; threadId?: number }> {
    return this.world.chatActions;
  }

  /** Updates queued for the bot and not yet confirmed by an offset. */
  pendingUpdates(): readonly Update[] {
    return this.world.queue.unconfirmed();
  }

  addUser(user: NewUser): User {
    const { photos, ...fields } = user;
    const created: User = { id: this.nextUserId++, is_bot: false, ...fields };
    this.world.state.users.set(created.id, created);
    const fileIds = (photos ?? []).map(
      (data, i) => this.world.state.addFile(data, 'image/jpeg', `profile_${i}.jpg`, 'profile_photos').fileId,
    );
    this.world.state.profilePhotos.set(created.id, fileIds);
    return created;
  }

  /** The user sets a new profile photo (it becomes their current one, as in Telegram; no update is sent). */
  setProfilePhoto(userId: number, data: Buffer): void {
    this.world.state.user(userId);
    const fileId = this.world.state.addFile(data, 'image/jpeg', 'profile.jpg', 'profile_photos').fileId;
    this.world.state.profilePhotos.set(userId, [
      fileId,
      ...(this.world.state.profilePhotos.get(userId) ?? []),
    ]);
  }

  /** Create a chat. The bot joins as `options.bot` (added by the creator, with a my_chat_member update). */
  createChat(options: CreateChatOptions): Chat {
    const members = options.members ?? [];
    const id = options.type === 'private' ? members[0]! : this.world.state.newChatId(options.type);
    if (options.type === 'private' && members.length !== 1)
      throw new Error('a private chat is with exactly one user');
    const chat: ChatState = {
      id,
      type: options.type,
      ...(options.title !== undefined ? { title: options.title } : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      isForum: options.type === 'supergroup' && !!options.isForum,
      ...(options.type === 'private' ? { peer: this.world.state.user(members[0]!) } : {}),
      members: new Map(
        members.map((userId, i): [number, MemberStatus] => [
          userId,
          i === 0 && options.type !== 'private' ? 'creator' : 'member',
        ]),
      ),
      messages: new Map(),
      reactions: new Map(),
      topics: new Map(),
      nextMessageId: 1,
    };
    this.world.state.chats.set(id, chat);
    const botPlace = options.bot ?? 'member';
    if (botPlace !== 'none') {
      const by = members[0] !== undefined ? this.world.state.user(members[0]) : this.bot;
      this.world.setBotStatus(chat, botPlace, by);
    }
    return this.world.chatObject(chat);
  }

  addMember(chatId: number, userId: number, status: MemberStatus = 'member'): void {
    this.world.state.user(userId);
    this.world.state.chat(chatId).members.set(userId, status);
  }

  /** Promote or demote the bot (a my_chat_member update follows, as on Telegram). */
  setBotAdmin(chatId: number, admin: boolean): void {
    const chat = this.world.state.chat(chatId);
    this.world.setBotStatus(chat, admin ? 'administrator' : 'member', this.creatorOf(chat));
  }

  /** Kick the bot: it gets a my_chat_member update and 403 on later sends. */
  removeBot(chatId: number): void {
    const chat = this.world.state.chat(chatId);
    this.world.setBotStatus(chat, 'kicked', this.creatorOf(chat));
  }

  /**
   * Set the chat's photo, as an admin does in Telegram: `getChat` then returns it and a `new_chat_photo`
   * service message is posted in the chat (channels included).
   */
  setChatPhoto(chatId: number, data: Buffer, by?: number): void {
    const chat = this.world.state.chat(chatId);
    const file = this.world.state.addFile(data, 'image/jpeg', 'chat_photo.jpg', 'photos');
    chat.photo = file;
    const size = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: data.length };
    const actor = by !== undefined ? this.world.state.user(by) : this.creatorOf(chat);
    this.world.post(chat, actor, { new_chat_photo: [{ ...size, width: 640, height: 640 }] });
  }

  /** Remove the chat's photo (a `delete_chat_photo` service message follows). */
  deleteChatPhoto(chatId: number, by?: number): void {
    const chat = this.world.state.chat(chatId);
    delete chat.photo;
    const actor = by !== undefined ? this.world.state.user(by) : this.creatorOf(chat);
    this.world.post(chat, actor, { delete_chat_photo: true });
  }

  /** Give or take the bot's "Manage topics" admin right in a forum (it needs it for `editForumTopic`). */
  setBotManagesTopics(chatId: number, allowed: boolean): void {
    this.world.state.chat(chatId).botManagesTopics = allowed;
  }

  /** Give or take the bot's "Change group info" admin right (it needs it for `setChatTitle`/`setChatDescription`). */
  setBotChangesInfo(chatId: number, allowed: boolean): void {
    this.world.state.chat(chatId).botChangesInfo = allowed;
  }

  /** Rename a group, supergroup or channel, as a user does: a `new_chat_title` service message follows. */
  setChatTitle(chatId: number, title: string, by?: number): void {
    const chat = this.world.state.chat(chatId);
    renameChat(this.world, chat, by !== undefined ? this.world.state.user(by) : this.creatorOf(chat), title);
  }

  /** The chat's current description (as `getChat` returns it), if any. */
  chatDescription(chatId: number): string | undefined {
    return this.world.state.chat(chatId).description;
  }

  /** Open a forum topic as a user; returns its `message_thread_id`. */
  createForumTopic(chatId: number, name: string, by?: number): number {
    const chat = this.world.state.chat(chatId);
    const creator = by !== undefined ? this.world.state.user(by) : this.creatorOf(chat);
    return openForumTopic(this.world, chat, creator, name).message_id;
  }

  /** Rename a forum topic: a `forum_topic_edited` service message in the topic, as on Telegram. */
  editForumTopic(chatId: number, threadId: number, name: string, by?: number): void {
    this.topicServiceMessage(chatId, threadId, { forum_topic_edited: { name } }, by);
    this.world.state.chat(chatId).topics.set(threadId, name);
  }

  /** Close a forum topic (a `forum_topic_closed` service message in it). */
  closeForumTopic(chatId: number, threadId: number, by?: number): void {
    this.topicServiceMessage(chatId, threadId, { forum_topic_closed: {} }, by);
  }

  /** Reopen a closed forum topic (a `forum_topic_reopened` service message in it). */
  reopenForumTopic(chatId: number, threadId: number, by?: number): void {
    this.topicServiceMessage(chatId, threadId, { forum_topic_reopened: {} }, by);
  }

  private topicServiceMessage(
    chatId: number,
    threadId: number,
    content: Partial<StoredMessage>,
    by: number | undefined,
  ): void {
    const chat = this.world.state.chat(chatId);
    if (!chat.topics.has(threadId)) throw apiErrors.badRequest('message thread not found');
    const actor = by !== undefined ? this.world.state.user(by) : this.creatorOf(chat);
    this.world.post(chat, actor, content, { threadId });
  }

  /**
   * Upgrade a group to a supergroup: the old group gets a `migrate_to_chat_id` service message,
   * the new one `migrate_from_chat_id`; the old id then answers 400 with `migrate_to_chat_id`.
   * Returns the new chat id.
   */
  migrateToSupergroup(chatId: number): number {
    const old = this.world.state.chat(chatId);
    if (old.type !== 'group') throw new Error('only basic groups migrate to supergroups');
    const by = this.creatorOf(old);
    const newId = this.world.state.newChatId('supergroup');
    const upgraded: ChatState = {
      ...old,
      id: newId,
      type: 'supergroup',
      members: new Map(old.members),
      messages: new Map(),
      reactions: new Map(),
      topics: new Map(),
      nextMessageId: 1,
    };
    this.world.state.chats.set(newId, upgraded);
    this.world.post(old, by, { migrate_to_chat_id: newId });
    old.migratedTo = newId;
    this.world.post(upgraded, by, { migrate_from_chat_id: chatId });
    return newId;
  }

  /** Act as a user (who must be in the chats they use). */
  asUser(userId: number): UserDriver {
    return new UserDriver(this.world, this.world.state.user(userId));
  }

  /** Every message in a chat, oldest first (the bot's, users', service messages). */
  messages(chatId: number): Message[] {
    const chat = this.chatIncludingMigrated(chatId);
    return [...chat.messages.values()].sort((a, b) => a.message_id - b.message_id) as Message[];
  }

  message(chatId: number, messageId: number): Message | undefined {
    return this.chatIncludingMigrated(chatId).messages.get(messageId) as Message | undefined;
  }

  /** Reactions on a message, by user id (the bot's included). */
  reactions(chatId: number, messageId: number): Map<number, ReactionType[]> {
    return new Map(this.chatIncludingMigrated(chatId).reactions.get(messageId) ?? []);
  }

  /** The bytes of a stored file. */
  fileContents(fileId: string): Buffer {
    return this.world.state.file(fileId).data;
  }

  /**
   * Make the next call of `method` fail with `code` (400, 403, 409, 429 with `retryAfter` seconds,
   * or 5xx), in Telegram's error shape.
   */
  failNext(method: string, code: number, retryAfter?: number): void {
    const error =
      code === 429
        ? apiErrors.tooManyRequests(retryAfter ?? 1)
        : code === 403
          ? new TelegramApiError(403, 'Forbidden: bot was blocked by the user')
          : code === 409
            ? apiErrors.pollConflict()
            : code >= 500
              ? new TelegramApiError(code, 'Internal Server Error')
              : new TelegramApiError(code, 'Bad Request: injected failure');
    this.server.faults.push({ method, error });
  }

  /** True while a bot holds a `getUpdates` long poll open. */
  get botIsPolling(): boolean {
    return this.world.queue.polling;
  }

  /** Resolve when `condition` holds (checked on every change and every 10 ms), or reject after `timeoutMs`. */
  waitFor<T>(condition: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = condition();
        if (value === undefined || value === false) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      const ticker = setInterval(check, 10);
      const cleanup = () => {
        clearTimeout(timer);
        clearInterval(ticker);
        this.world.off('change', check);
      };
      this.world.on('change', check);
      check();
    });
  }

  /** Wait for a message in a chat matching `predicate` (already there, or arriving within `timeoutMs`). */
  waitForMessage(
    chatId: number,
    predicate: (message: Message) => boolean,
    timeoutMs = 5000,
  ): Promise<Message> {
    return this.waitFor(() => this.messages(chatId).find(predicate), timeoutMs);
  }

  private creatorOf(chat: ChatState): User {
    const creator = [...chat.members].find(([, status]) => status === 'creator')?.[0];
    return creator !== undefined ? this.world.state.user(creator) : this.bot;
  }

  private chatIncludingMigrated(chatId: number): ChatState {
    const chat = this.world.state.chats.get(chatId);
    if (!chat) throw new Error(`no chat ${chatId}`);
    return chat;
  }
}
