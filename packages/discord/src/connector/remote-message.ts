/** A discord.js message -> the neutral event model (sender, parts, reply and thread). */
import type {
  Attachment,
  Client,
  Emoji,
  Guild,
  GuildMember,
  Message,
  PartialMessage,
  Sticker,
  User,
} from 'discord.js';
import type { MediaKind, MessageContent, RemoteMedia, RemoteUser, RichText } from '@trestle/core';
import { discordToIr, type DiscordToIrOptions } from '../format';

/** Where a message lives in portal terms: threads belong to their parent channel's portal. */
export function chatOf(message: Message | PartialMessage): { chatId: string; threadRoot?: string } {
  const channel = message.channel;
  if (channel.isThread() && channel.parentId) return { chatId: channel.parentId, threadRoot: channel.id };
  return { chatId: message.channelId };
}

export function senderOf(message: Message): RemoteUser {
  if (message.webhookId) {
    return {
      id: `webhook:${message.webhookId}:${message.author.username}`,
      displayName: message.author.username,
      isBot: true,
    };
  }
  const member = message.member;
  return {
    id: message.author.id,
    displayName: member?.displayName ?? message.author.displayName,
    avatar: avatarOf(member, message.author),
    isBot: message.author.bot,
  };
}

/** The inputs of a sender's avatar URL, and the media source made from it. */
interface AvatarSource {
  guildId: string | undefined;
  memberAvatar: string | null | undefined;
  userAvatar: string | null;
  discriminator: string;
  media: RemoteMedia;
}

/** Senders whose avatar source is kept (per client); past that the cache starts over. */
const AVATAR_SOURCES = 2000;
const avatarSources = new WeakMap<Client, Map<string, AvatarSource>>();

/**
 * The sender's avatar (the guild one, else their own, else Discord's default), as PNG. Kept per
 * user while the avatar hashes stay the same: discord.js builds each URL through a `URL` object
 * (and the default avatar's index through a BigInt), once per message otherwise.
 */
function avatarOf(member: GuildMember | null, author: User): RemoteMedia {
  const user = member?.user ?? author;
  let sources = avatarSources.get(user.client);
  if (!sources) avatarSources.set(user.client, (sources = new Map()));
  const guildId = member?.guild.id;
  const memberAvatar = member?.avatar;
  const known = sources.get(user.id);
  if (
    known &&
    known.guildId === guildId &&
    known.memberAvatar === memberAvatar &&
    known.userAvatar === user.avatar &&
    known.discriminator === user.discriminator
  )
    return known.media;
  const media = httpMedia(
    member?.displayAvatarURL({ extension: 'png' }) ?? user.displayAvatarURL({ extension: 'png' }),
  );
  if (sources.size >= AVATAR_SOURCES) sources.clear();
  sources.set(user.id, {
    guildId,
    memberAvatar,
    userAvatar: user.avatar,
    discriminator: user.discriminator,
    media,
  });
  return media;
}

/** Text first (content + readable embeds), then one part per attachment and sticker. */
export function partsOf(message: Message, cdnBase: string): MessageContent[] {
  const parts: MessageContent[] = [];
  const text =
    message.embeds.length === 0
      ? message.content
      : [message.content, ...message.embeds.map(embedText).filter((t) => t !== '')]
          .filter((t) => t !== '')
          .join('\n\n');
  if (text) parts.push({ type: 'text', msgtype: 'text', body: richTextOf(text, message.guild, cdnBase) });
  for (const attachment of message.attachments.values()) parts.push(attachmentPart(attachment));
  for (const sticker of message.stickers.values()) parts.push(stickerPart(sticker));
  return parts;
}

export function richTextOf(content: string, guild: Guild | null, cdnBase: string): RichText {
  return discordToIr(content, parseOptions(guild, cdnBase));
}

const guildOptions = new WeakMap<Guild, DiscordToIrOptions>();

/** The converter's options for a guild's messages: made once per guild, not per message. */
function parseOptions(guild: Guild | null, cdnBase: string): DiscordToIrOptions {
  if (!guild) return { cdnBase };
  const cached = guildOptions.get(guild);
  if (cached?.cdnBase === cdnBase) return cached;
  const options: DiscordToIrOptions = {
    cdnBase,
    names: {
      user: (id) => guild.members.cache.get(id)?.displayName ?? guild.client.users.cache.get(id)?.displayName,
      role: (id) => guild.roles.cache.get(id)?.name,
      channel: (id) => guild.channels.cache.get(id)?.name,
    },
  };
  guildOptions.set(guild, options);
  return options;
}

/** Embeds as Discord shows them, in markdown so the converter can format them. */
function embedText(embed: Message['embeds'][number]): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(`**${embed.author.name}**`);
  if (embed.title) lines.push(embed.url ? `[${embed.title}](${embed.url})` : `**${embed.title}**`);
  if (embed.description) lines.push(embed.description);
  for (const field of embed.fields) lines.push(`**${field.name}**\n${field.value}`);
  if (embed.footer?.text) lines.push(`-# ${embed.footer.text}`);
  return lines.length > 0 ? lines.map((l) => `> ${l.replace(/\n/g, '\n> ')}`).join('\n') : '';
}

function attachmentPart(attachment: Attachment): MessageContent {
  return {
    type: 'media',
    kind: kindOf(attachment.contentType ?? undefined),
    name: attachment.name,
    ...(attachment.contentType ? { mimetype: attachment.contentType } : {}),
    size: attachment.size,
    ...(attachment.width ? { width: attachment.width } : {}),
    ...(attachment.height ? { height: attachment.height } : {}),
    ...(attachment.duration ? { durationMs: attachment.duration * 1000 } : {}),
    source: httpMedia(
      attachment.url,
      attachment.contentType ?? undefined,
      `discord:attachment:${attachment.id}`,
    ),
  };
}

function stickerPart(sticker: Sticker): MessageContent {
  return {
    type: 'media',
    kind: 'sticker',
    name: sticker.name,
    mimetype: 'image/png',
    source: httpMedia(sticker.url, 'image/png'),
  };
}

function kindOf(mimetype: string | undefined): MediaKind {
  if (mimetype?.startsWith('image/')) return 'image';
  if (mimetype?.startsWith('video/')) return 'video';
  if (mimetype?.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Media on Discord's CDN, fetched only when the core uploads it. */
export function httpMedia(url: string, mimetype?: string, key = url): RemoteMedia {
  return {
    key,
    ...(mimetype ? { mimetype } : {}),
    async fetch() {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`Discord CDN answered ${response.status} for ${url}`);
      return Buffer.from(await response.arrayBuffer());
    },
  };
}

/** A reaction's key on Matrix: the unicode emoji, or `:name:` for a custom guild emoji. */
export function reactionKey(emoji: Emoji): string {
  return emoji.id ? `:${emoji.name}:` : (emoji.name ?? '');
}

/** The image of a custom emoji, uploaded once per emoji (it is the Matrix reaction's key). */
export function reactionImage(emoji: Emoji): RemoteMedia | undefined {
  const url = emoji.id ? emoji.imageURL({ extension: emoji.animated ? 'gif' : 'png' }) : null;
  return url
    ? httpMedia(url, emoji.animated ? 'image/gif' : 'image/png', `discord:emoji:${emoji.id}`)
    : undefined;
}
