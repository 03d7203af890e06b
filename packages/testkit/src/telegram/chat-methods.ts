/**
 * Bot API methods about the bot itself, updates and chats: getMe, deleteWebhook, getUpdates,
 * getChat, getChatMember, getChatAdministrators, getChatMemberCount, getUserProfilePhotos,
 * sendChatAction, setMyCommands.
 */
import type { ChatFromGetChat, PhotoSize } from 'telegraf/types';
import { apiErrors } from './api-error';
import type { MethodHandler } from './method-support';
import { isAdminStatus } from './visibility';

const getMe: MethodHandler = (world) => ({
  ...world.bot,
  can_join_groups: true,
  can_read_all_group_messages: !world.options.privacyMode,
  supports_inline_queries: false,
});

const deleteWebhook: MethodHandler = (world, params) => {
  if (params.boolean('drop_pending_updates')) world.queue.dropPending();
  return true;
};

const getUpdates: MethodHandler = (world, params, signal) =>
  world.queue.poll({
    offset: params.optionalInteger('offset'),
    limit: params.optionalInteger('limit'),
    timeout: params.optionalInteger('timeout'),
    allowedUpdates: params.json<string[]>('allowed_updates'),
    signal,
  });

const getChat: MethodHandler = (world, params): ChatFromGetChat => {
  const chat = world.state.chat(params.chatId());
  const base = world.chatObject(chat);
  const photo = chat.photo && {
    small_file_id: chat.photo.fileId,
    small_file_unique_id: chat.photo.fileUniqueId,
    big_file_id: chat.photo.fileId,
    big_file_unique_id: chat.photo.fileUniqueId,
  };
  return {
    ...base,
    ...(chat.isForum ? { is_forum: true } : {}),
    ...(photo ? { photo } : {}),
    ...(chat.description ? { description: chat.description } : {}),
  } as ChatFromGetChat;
};

const getChatMember: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  const user = world.state.users.get(params.integer('user_id'));
  if (!user) throw apiErrors.badRequest('PARTICIPANT_ID_INVALID');
  if (chat.type === 'private') throw apiErrors.badRequest('there are no administrators in the private chat');
  return world.memberObject(chat, user);
};

const getChatAdministrators: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  if (chat.type === 'private') throw apiErrors.badRequest('there are no administrators in the private chat');
  return [...chat.members]
    .filter(([, status]) => isAdminStatus(status))
    .map(([id]) => world.memberObject(chat, world.state.user(id)));
};

const getChatMemberCount: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  return [...chat.members.values()].filter((s) => s !== 'left' && s !== 'kicked').length;
};

const getUserProfilePhotos: MethodHandler = (world, params) => {
  const userId = params.integer('user_id');
  if (!world.state.users.has(userId)) throw apiErrors.badRequest('user not found');
  const fileIds = world.state.profilePhotos.get(userId) ?? [];
  const offset = params.optionalInteger('offset') ?? 0;
  const limit = params.optionalInteger('limit') ?? 100;
  const photos: PhotoSize[][] = fileIds.slice(offset, offset + limit).map((fileId) => {
    const file = world.state.file(fileId);
    return [
      {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        file_size: file.data.length,
        width: 640,
        height: 640,
      },
    ];
  });
  return { total_count: fileIds.length, photos };
};

const chatActions = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const sendChatAction: MethodHandler = (world, params) => {
  const chat = world.state.chat(params.chatId());
  const action = params.string('action');
  if (!chatActions.has(action)) throw apiErrors.badRequest('wrong parameter action in request');
  const threadId = params.optionalInteger('message_thread_id');
  world.chatActions.push({ chatId: chat.id, action, ...(threadId !== undefined ? { threadId } : {}) });
  return true;
};

const setMyCommands: MethodHandler = () => true;

export const chatMethods: Record<string, MethodHandler> = {
  getMe,
  deleteWebhook,
  getUpdates,
  getChat,
  getChatMember,
  getChatAdministrators,
  getChatMemberCount,
  getUserProfilePhotos,
  sendChatAction,
  setMyCommands,
};
