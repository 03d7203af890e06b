/** A discord.js message -> the neutral event model (sender, parts, reply and thread). */
import {
  DiscordAPIError,
  RESTJSONErrorCodes,
  type Attachment,
  type Client,
  type Emoji,
  type Guild,
  type GuildMember,
  type Message,
  type PartialMessage,
  type Sticker,
  type User,
} from 'discord.js';
import type { Logger, MediaKind, MessageContent, RemoteMedia, RemoteUser, RichText } from '@trestle/core';
import { discordToIr, type DiscordToIrOptions } from '../format';

/** Where a message lives in portal terms: threads belong to their parent channel's portal. */
export function chatOf(message: Message | PartialMessage): { chatId: string; threadRoot?: string } {
  const channel = message.channel;
  if (channel.isThread() && channel.parentId) return { chatId: channel.parentId, threadRoot: channel.id };
  return { chatId: message.channelId };
}

/**
 * `member`: the author's guild member when the caller had to fetch it (a message read over REST
 * carries none, and discord.js's member cache is bounded); by default the cached one.
 */
export function senderOf(message: Message, member: GuildMember | null = message.member): RemoteUser {
  if (message.webhookId) {
    return {
      id: `webhook:${message.webhookId}:${message.author.username}`,
      displayName: message.author.username,
      isBot: true,
    };
  }
  return {
    id: message.author.id,
    displayName: member?.displayName ?? message.author.displayName,
    avatar: avatarOf(member, message.author),
    isBot: message.author.bot,
  };
}

/** User mentions in Discord markdown: `<@id>`, or `<@!id>` as older clients wrote them. */
const USER_MENTION = /<@!?(\d{15,21})>/g;

/**
 * The guild members that messages read over REST name: their authors and the users they mention.
 * Over the gateway Discord sends those member objects with each message, and discord.js caches
 * them; over REST (`GET /channels/{id}/messages`, the catch-up after downtime) it sends none, and
 * the bounded member cache rarely still holds the people of hours ago. Without them a ghost would be
 * renamed from the member's guild nickname to their global name, and a mention would show the
 * global name too. Each member missing from the cache is fetched once for as long as this object
 * lives (`GET /guilds/{id}/members/{user}`): one run of a catch-up, or one live edit. It is kept
 * here, not in the cache, which stays for the people talking now.
 */
export class FetchedMembers {
  /** Guild id + user id -> the member, or null for a user who is not (or no longer) a member. */
  private readonly known = new Map<string, GuildMember | null>();

  constructor(private readonly log: Logger) {}

  /** The members `message` names (its author unless a webhook posted it, and those it mentions), by user id. */
  async of(message: Message): Promise<Map<string, GuildMember>> {
    const found = new Map<string, GuildMember>();
    const guild = message.guild;
    if (!guild) return found;
    const ids = new Set<string>(message.mentions.users.keys());
    for (const [, id] of message.content.matchAll(USER_MENTION)) ids.add(id!);
    if (!message.webhookId) ids.add(message.author.id);
    for (const id of ids) {
      const member = guild.members.cache.get(id) ?? (await this.fetch(guild, id));
      if (member) found.set(id, member);
    }
    return found;
  }

  private async fetch(guild: Guild, userId: string): Promise<GuildMember | null> {
    const key = `${guild.id}/${userId}`;
    const known = this.known.get(key);
    if (known !== undefined) return known;
    const member = await guild.members.fetch({ user: userId, cache: false }).catch((err: unknown) => {
      // A user who left the guild keeps their global name; anything else is worth a line in the log.
      if (!(err instanceof DiscordAPIError && err.code === RESTJSONErrorCodes.UnknownMember))
        this.log.warn('discord member not fetched; their global name is shown', {
          network: 'discord',
          guild: guild.id,
          user: userId,
          err,
        });
      return null;
    });
    this.known.set(key, member);
    return member;
  }
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

/**
 * Text first (content + readable embeds), then one part per attachment and sticker. `members`: guild
 * members the caller fetched for the message, named in its mentions before the cached ones.
 */
export function partsOf(
  message: Message,
  cdnBase: string,
  members?: ReadonlyMap<string, GuildMember>,
): MessageContent[] {
  const parts: MessageContent[] = [];
  const text =
    message.embeds.length === 0
      ? message.content
      : [message.content, ...message.embeds.map(embedText).filter((t) => t !== '')]
          .filter((t) => t !== '')
          .join('\n\n');
  if (text)
    parts.push({ type: 'text', msgtype: 'text', body: richTextOf(text, message.guild, cdnBase, members) });
  for (const attachment of message.attachments.values()) parts.push(attachmentPart(attachment));
  for (const sticker of message.stickers.values()) parts.push(stickerPart(sticker));
  return parts;
}

export function richTextOf(
  content: string,
  guild: Guild | null,
  cdnBase: string,
  members?: ReadonlyMap<string, GuildMember>,
): RichText {
  const options = parseOptions(guild, cdnBase);
  if (!members?.size || !options.names) return discordToIr(content, options);
  const { names } = options;
  return discordToIr(content, {
    ...options,
    names: { ...names, user: (id) => members.get(id)?.displayName ?? names.user?.(id) },
  });
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
