/**
 * Bot API media methods: sendPhoto/Document/Video/Animation/Voice/Audio/Sticker, sendMediaGroup
 * and getFile (with the 20 MB download limit).
 */
import type { InputMedia, MessageEntity } from 'telegraf/types';
import { apiErrors } from './api-error';
import { mediaFields, resolveUpload, type MediaKind } from './media-files';
import { composeText } from './message-text';
import { chatBotCanWrite, readPlacement, readText, type MethodHandler } from './method-support';
import { RequestParams } from './request-params';
import type { StoredMessage } from './sim-state';

function sendMedia(kind: MediaKind): MethodHandler {
  return async (world, params) => {
    const chat = chatBotCanWrite(world, params);
    const placement = readPlacement(params); // checked before the upload is stored, as Telegram does
    const file = await resolveUpload(world, params, params.optionalString(kind), kind, kind);
    const caption = kind === 'sticker' ? undefined : readText(world, params, 'caption');
    const content: Partial<StoredMessage> = {
      ...mediaFields(kind, file, params),
      ...(caption ? { caption: caption.text } : {}),
      ...(caption?.entities.length ? { caption_entities: caption.entities } : {}),
    };
    return world.post(chat, world.bot, content, placement);
  };
}

/** An album of 2–10 photos/videos, or of documents only, or of audio only; one message each. */
const sendMediaGroup: MethodHandler = async (world, params) => {
  const chat = chatBotCanWrite(world, params);
  const placement = readPlacement(params);
  const items = params.json<InputMedia[]>('media') ?? [];
  if (items.length < 2 || items.length > 10) throw apiErrors.badRequest('wrong number of media specified');
  const kinds = new Set(items.map((item) => item.type));
  const mixesExclusive = (kinds.has('document') || kinds.has('audio')) && kinds.size > 1;
  if (mixesExclusive) throw apiErrors.badRequest('MEDIA_GROUP_INVALID');
  const mediaGroupId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  const messages: StoredMessage[] = [];
  for (const item of items) {
    const kind = item.type as MediaKind;
    const reference = typeof item.media === 'string' ? item.media : undefined;
    const file = await resolveUpload(world, params, reference, undefined, kind);
    const itemParams = new RequestParams(item as unknown as Record<string, unknown>);
    const caption = item.caption
      ? composeText(
          {
            text: item.caption,
            parseMode: item.parse_mode,
            entities: item.caption_entities as MessageEntity[] | undefined,
          },
          'caption',
          (id) => world.state.users.get(id),
        )
      : undefined;
    const content: Partial<StoredMessage> = {
      ...mediaFields(kind, file, itemParams),
      ...(caption ? { caption: caption.text } : {}),
      ...(caption?.entities.length ? { caption_entities: caption.entities } : {}),
    };
    messages.push(world.post(chat, world.bot, content, { ...placement, mediaGroupId }));
  }
  return messages;
};

const getFile: MethodHandler = (world, params) => {
  const file = world.state.file(params.string('file_id'));
  if (file.data.length > world.options.limits.downloadBytes) throw apiErrors.badRequest('file is too big');
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    file_size: file.data.length,
    file_path: file.filePath,
  };
};

export const mediaMethods: Record<string, MethodHandler> = {
  sendPhoto: sendMedia('photo'),
  sendDocument: sendMedia('document'),
  sendVideo: sendMedia('video'),
  sendAnimation: sendMedia('animation'),
  sendVoice: sendMedia('voice'),
  sendAudio: sendMedia('audio'),
  sendSticker: sendMedia('sticker'),
  sendMediaGroup,
  getFile,
};
