/**
 * Discord-side approval of plumbing. A Matrix admin's `link <channel>` alone must not let someone
 * pipe a Discord channel into any Matrix room: the first `link` posts a one-time code in the
 * channel, someone who may manage that channel's webhooks or the channel itself answers
 * `!matrix approve <code>` there, and the next `link` from the same Matrix user goes through.
 * Requests live in the store, so a bridge restart in between loses nothing.
 */
import { randomInt } from 'node:crypto';
import { PermissionFlagsBits, type GuildMember, type Message, type TextChannel } from 'discord.js';
import type { KeyValueStore, Logger } from '@trestle/core';

const NAMESPACE = 'discord.link-approval';
/** How long a code, and then an approval, stays valid. */
export const APPROVAL_TTL_MS = 15 * 60 * 1000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const APPROVE_COMMAND = /^!matrix\s+approve\s+([A-Za-z0-9]{6})\s*$/;

interface LinkRequest {
  code: string;
  requestedBy: string;
  expiresAt: number;
  approvedBy?: string;
}

export class LinkApprovals {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly log: Logger,
  ) {}

  /**
   * True when someone on Discord approved `requestedBy` linking the channel (the approval is used
   * up); otherwise posts (or re-uses) a code in the channel and returns it.
   */
  async approvedOrCode(channel: TextChannel, requestedBy: string): Promise<true | string> {
    const request = await this.kv.get<LinkRequest>(NAMESPACE, channel.id);
    const live = request && request.expiresAt > Date.now() && request.requestedBy === requestedBy;
    if (live && request.approvedBy) {
      await this.kv.delete(NAMESPACE, channel.id);
      return true;
    }
    if (live) return request.code;
    const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    await this.kv.set(NAMESPACE, channel.id, {
      code,
      requestedBy,
      expiresAt: Date.now() + APPROVAL_TTL_MS,
    } satisfies LinkRequest);
    await channel.send({
      content:
        `Matrix user \`${requestedBy}\` wants to bridge this channel to a Matrix room. ` +
        `Someone with Manage Webhooks or Manage Channels here can allow it by sending \`!matrix approve ${code}\` ` +
        `in this channel within 15 minutes.`,
      allowedMentions: { parse: [] },
    });
    return code;
  }

  /** True for `!matrix approve <code>` messages, which are handled here and never bridged. */
  isApproval(message: Message): boolean {
    return message.inGuild() && APPROVE_COMMAND.test(message.content);
  }

  /** Check the approver's permissions and the code, record the approval, and answer in the channel. */
  async approve(message: Message<true>): Promise<void> {
    const code = APPROVE_COMMAND.exec(message.content)![1]!.toUpperCase();
    const request = await this.kv.get<LinkRequest>(NAMESPACE, message.channelId);
    if (!request || request.expiresAt <= Date.now() || request.code !== code) {
      await message.reply(
        'No pending Matrix link request in this channel has that code (codes expire after 15 minutes).',
      );
      return;
    }
    const member = await this.memberOf(message);
    const channel = message.channel;
    const permissions = member && !channel.isThread() ? channel.permissionsFor(member) : null;
    if (!permissions?.any([PermissionFlagsBits.ManageWebhooks, PermissionFlagsBits.ManageChannels])) {
      await message.reply(
        'Only someone with Manage Webhooks or Manage Channels in this channel can approve bridging it.',
      );
      return;
    }
    await this.kv.set(NAMESPACE, message.channelId, {
      ...request,
      approvedBy: message.author.id,
      expiresAt: Date.now() + APPROVAL_TTL_MS,
    } satisfies LinkRequest);
    this.log.info('discord channel link approved', {
      network: 'discord',
      chat: message.channelId,
      by: message.author.id,
      for: request.requestedBy,
    });
    await message.reply(
      `Approved. \`${request.requestedBy}\` can now finish with the link command in the Matrix room.`,
    );
  }

  private async memberOf(message: Message<true>): Promise<GuildMember | null> {
    return message.member ?? (await message.guild.members.fetch(message.author.id).catch(() => null));
  }
}
