/**
 * A Telegram message's content as the core's {@link MessageContent} parts: text (entities -> IR),
 * media as lazily fetched {@link RemoteMedia} with the caption, and readable fallbacks for what
 * Matrix has no event for (polls, contacts, dice, venues), and forum topic changes (created, renamed,
 * closed, reopened), a chat's new title and a removed chat photo as notices.
 */
import type { MediaKind, MessageContent, RemoteMedia, RichText } from '@trestle/core';
import type { Message, MessageEntity } from 'telegraf/types';
import { telegramToIr } from '../format';

/** Bots may download files up to 20 MB through getFile. */
export const maxBotDownloadBytes = 20 * 1024 * 1024;

const previewableImage = /^image\/(png|jpeg|gif|webp)$/;

/** Fetches a Telegram file by id (getFile + download). */
export type FileFetcher = (fileId: string) => Promise<Buffer>;

interface FileInfo {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
  duration?: number;
}

type AnyMessage = Partial<
  Message.TextMessage &
    Message.PhotoMessage &
    Message.AnimationMessage &
    Message.VideoMessage &
    Message.VoiceMessage &
    Message.AudioMessage &
    Message.StickerMessage &
    Message.VenueMessage &
    Message.ContactMessage &
    Message.PollMessage &
    Message.DiceMessage &
    Message.ForumTopicCreatedMessage &
    Message.ForumTopicEditedMessage &
    Message.ForumTopicClosedMessage &
    Message.ForumTopicReopenedMessage &
    Message.DeleteChatPhotoMessage &
    Message.NewChatTitleMessage
>;

const plain = (text: string): RichText => ({
  blocks: [{ type: 'paragraph', children: [{ type: 'text', text }] }],
});
const textPart = (text: string): MessageContent => ({ type: 'text', msgtype: 'text', body: plain(text) });
const noticePart = (text: string): MessageContent => ({
  type: 'text',
  msgtype: 'notice',
  body: plain(text),
});

/** The parts of a message; empty for service messages the bridge does not show. */
export function messageParts(
  message: Message,
  fetchFile: FileFetcher,
  resolveUsername?: (name: string) => string | undefined,
): MessageContent[] {
  const m = message as AnyMessage;
  const toIr = (text: string, entities?: MessageEntity[]) =>
    telegramToIr(text, entities ?? [], resolveUsername ? { resolveUsername } : {});
  if (m.text !== undefined) return [{ type: 'text', msgtype: 'text', body: toIr(m.text, m.entities) }];
  const caption = m.caption ? toIr(m.caption, m.caption_entities) : undefined;
  const media = mediaOf(m);
  if (media) {
    const { kind, file, name } = media;
    if ((file.file_size ?? 0) > maxBotDownloadBytes) {
      return [
        textPart(
          `[${name} (${Math.round((file.file_size ?? 0) / 1048576)} MB) is too large for Telegram bots to download (20 MB limit)]`,
        ),
        ...(caption ? [{ type: 'text' as const, msgtype: 'text' as const, body: caption }] : []),
      ];
    }
    const source: RemoteMedia = {
      key: `telegram:${file.file_unique_id}`,
      fetch: () => fetchFile(file.file_id),
      ...(file.mime_type ? { mimetype: file.mime_type } : {}),
    };
    return [
      {
        type: 'media',
        kind,
        name,
        source,
        ...(file.mime_type ? { mimetype: file.mime_type } : {}),
        ...(file.file_size !== undefined ? { size: file.file_size } : {}),
        ...(file.width ? { width: file.width } : {}),
        ...(file.height ? { height: file.height } : {}),
        ...(file.duration ? { durationMs: file.duration * 1000 } : {}),
        ...(caption ? { caption } : {}),
      },
    ];
  }
  if (m.venue) {
    return [
      {
        type: 'location',
        latitude: m.venue.location.latitude,
        longitude: m.venue.location.longitude,
        description: `${m.venue.title}, ${m.venue.address}`,
      },
    ];
  }
  if (m.location)
    return [{ type: 'location', latitude: m.location.latitude, longitude: m.location.longitude }];
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    return [textPart(`📇 Contact: ${name}, ${m.contact.phone_number}`)];
  }
  if (m.poll)
    return [textPart(`📊 Poll: ${m.poll.question}\n${m.poll.options.map((o) => `○ ${o.text}`).join('\n')}`)];
  if (m.dice) return [textPart(`${m.dice.emoji} rolled ${m.dice.value}`)];
  // Bridged so that the topic's Matrix thread has a root to hang from.
  if (m.forum_topic_created) return [noticePart(`🗂️ New topic: ${m.forum_topic_created.name}`)];
  if (m.forum_topic_edited?.name) return [noticePart(`🗂️ Topic renamed to: ${m.forum_topic_edited.name}`)];
  if (m.forum_topic_closed) return [noticePart('🔒 The topic was closed.')];
  if (m.forum_topic_reopened) return [noticePart('🔓 The topic was reopened.')];
  // The room is renamed too (see chat-title.ts); the notice says who renamed the chat.
  if (m.new_chat_title !== undefined)
    return [
      noticePart(`✏️ ${m.chat?.type === 'channel' ? 'Channel' : 'Group'} renamed to: ${m.new_chat_title}`),
    ];
  // A new photo becomes the room avatar (see ChatPhotos); a removal cannot clear it, so it is said.
  if (m.delete_chat_photo) return [noticePart('🖼️ The chat photo was removed on Telegram.')];
  return [];
}

function mediaOf(m: AnyMessage): { kind: MediaKind; file: FileInfo; name: string } | undefined {
  if (m.photo?.length) {
    const largest = m.photo[m.photo.length - 1]!;
    return { kind: 'image', file: { ...largest, mime_type: 'image/jpeg' }, name: 'photo.jpg' };
  }
  if (m.animation)
    return { kind: 'video', file: m.animation, name: m.animation.file_name ?? 'animation.mp4' };
  if (m.video) return { kind: 'video', file: m.video, name: m.video.file_name ?? 'video.mp4' };
  if (m.voice) return { kind: 'voice', file: m.voice, name: 'voice.ogg' };
  if (m.audio) return { kind: 'audio', file: m.audio, name: m.audio.file_name ?? 'audio.mp3' };
  if (m.sticker) {
    const mime = m.sticker.is_video
      ? 'video/webm'
      : m.sticker.is_animated
        ? 'application/x-tgsticker'
        : 'image/webp';
    return {
      kind: 'sticker',
      file: { ...m.sticker, mime_type: mime },
      name: `${m.sticker.emoji ?? 'sticker'}.webp`,
    };
  }
  if (m.document) {
    // An image sent "as a file" keeps its name and bytes; Matrix clients can still show it inline.
    const kind = previewableImage.test(m.document.mime_type ?? '') ? 'image' : 'file';
    return { kind, file: m.document, name: m.document.file_name ?? 'file' };
  }
  return undefined;
}
