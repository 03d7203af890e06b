/** REST routes for messages, reactions, typing and threads, acting as the bot. */
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { cannotEditOthersMessage, invalidFormBody, missingPermissions } from './errors';
import { readMessageBody } from './message-body';
import { clampLimit } from './rest-routes-core';
import { compareSnowflakes } from './snowflake';
import { toApiChannel, toApiUser } from './serialize';
import type { DiscordActions } from './actions';
import type { RestRouter } from './rest-router';
import type { DiscordWorld } from './world';

export function addMessageRoutes(router: RestRouter, world: DiscordWorld, actions: DiscordActions): void {
  const bot = world.botUserId;
  const sendPermission = (channelId: string) =>
    world.channel(channelId).type === ChannelType.PublicThread
      ? PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessagesInThreads
      : PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages;
  const readable = (channelId: string) =>
    world.requireBotPermission(
      channelId,
      PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory,
    );

  router.add('GET', '/channels/:channel_id/messages', ({ params, query }) => {
    const channelId = params.channel_id!;
    readable(channelId);
    const limit = clampLimit(query.get('limit'), 1, 100, 50);
    const all = world.channelMessages(channelId);
    const after = query.get('after');
    const before = query.get('before');
    let page;
    if (after) {
      // The `limit` oldest messages after the id, returned newest first like Discord.
      page = all.filter((m) => compareSnowflakes(m.id, after) > 0).slice(0, limit);
    } else {
      const older = before ? all.filter((m) => compareSnowflakes(m.id, before) < 0) : all;
      page = older.slice(-limit);
    }
    return page.reverse().map((m) => actions.restView(m));
  });

  router.add('GET', '/channels/:channel_id/messages/:message_id', ({ params }) => {
    readable(params.channel_id!);
    return actions.restView(world.message(params.channel_id!, params.message_id!));
  });

  router.add('POST', '/channels/:channel_id/messages', ({ params, body }) => {
    const channelId = params.channel_id!;
    world.requireBotPermission(channelId, sendPermission(channelId));
    const parsed = readMessageBody(body);
    if (parsed.files.length > 0) world.requireBotPermission(channelId, PermissionFlagsBits.AttachFiles);
    const message = actions.createMessage({
      channelId,
      authorId: bot,
      content: parsed.content,
      files: parsed.files,
      embeds: parsed.embeds,
      stickerIds: parsed.stickerIds,
      replyTo: parsed.replyTo,
      allowedMentions: parsed.allowedMentions,
      nonce: parsed.nonce,
    });
    return actions.restView(message);
  });

  router.add('PATCH', '/channels/:channel_id/messages/:message_id', ({ params, body }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    if (message.authorId !== bot || message.webhook) throw cannotEditOthersMessage();
    const parsed = readMessageBody(body);
    actions.editMessage(message, {
      content: parsed.content,
      embeds: parsed.embeds,
      files: parsed.files,
      keepAttachmentIds: parsed.keptAttachmentIds,
      allowedMentions: parsed.allowedMentions,
    });
    return actions.restView(message);
  });

  router.add('DELETE', '/channels/:channel_id/messages/:message_id', ({ params }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    if (message.authorId !== bot || message.webhook)
      world.requireBotPermission(message.channelId, PermissionFlagsBits.ManageMessages);
    const managesThreads =
      (world.botPermissions(message.channelId) & PermissionFlagsBits.ManageThreads) !== 0n;
    actions.deleteMessage(message, managesThreads);
    return undefined;
  });

  const reactionRoute = '/channels/:channel_id/messages/:message_id/reactions/:emoji';
  router.add('PUT', `${reactionRoute}/@me`, ({ params }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    world.requireBotPermission(
      message.channelId,
      PermissionFlagsBits.AddReactions | PermissionFlagsBits.ReadMessageHistory,
    );
    actions.addReaction(message, bot, params.emoji!);
    return undefined;
  });
  router.add('DELETE', `${reactionRoute}/@me`, ({ params }) => {
    actions.removeReaction(world.message(params.channel_id!, params.message_id!), bot, params.emoji!);
    return undefined;
  });
  router.add('DELETE', `${reactionRoute}/:user_id`, ({ params }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    world.requireBotPermission(message.channelId, PermissionFlagsBits.ManageMessages);
    actions.removeReaction(message, params.user_id!, params.emoji!);
    return undefined;
  });
  router.add('GET', reactionRoute, ({ params }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    const custom = /:(\d+)$/.exec(params.emoji!)?.[1];
    const reaction = message.reactions.find((r) =>
      custom ? r.emoji.id === custom : r.emoji.name === params.emoji,
    );
    return (reaction?.userIds ?? []).map((id) => toApiUser(world, id));
  });

  router.add('POST', '/channels/:channel_id/typing', ({ params }) => {
    world.requireBotPermission(params.channel_id!, sendPermission(params.channel_id!));
    actions.typing(params.channel_id!, bot);
    return undefined;
  });

  router.add('POST', '/channels/:channel_id/messages/:message_id/threads', ({ params, body }) => {
    const message = world.message(params.channel_id!, params.message_id!);
    world.requireBotPermission(message.channelId, PermissionFlagsBits.CreatePublicThreads);
    if (world.channel(message.channelId).type !== ChannelType.GuildText) throw missingPermissions();
    const name = (body.json as { name?: unknown }).name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 100) throw invalidFormBody('name');
    if (message.threadId) throw invalidFormBody('a thread has already been created for this message');
    return toApiChannel(world, actions.startThread(message, bot, name));
  });
}
