/** REST routes for webhooks: management as the bot, and execution/edit/delete with the webhook token. */
import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordApiError, invalidFormBody, unknownMessage, unknownWebhook } from './errors';
import { readMessageBody } from './message-body';
import { toApiWebhook } from './serialize';
import type { DiscordActions } from './actions';
import type { WebhookRecord } from './records';
import type { RestRouter } from './rest-router';
import type { DiscordWorld } from './world';

export function addWebhookRoutes(
  router: RestRouter,
  world: DiscordWorld,
  actions: DiscordActions,
  applicationId: string,
): void {
  const withToken = (id: string, token: string): WebhookRecord => {
    const webhook = world.webhook(id);
    if (webhook.token !== token) throw unknownWebhook();
    return webhook;
  };
  /** A webhook message lives in the webhook's channel, or in a thread of it named by `thread_id`. */
  const webhookMessage = (webhook: WebhookRecord, messageId: string, threadId: string | null) => {
    const message = world.message(threadId ?? webhook.channelId, messageId);
    if (message.webhook?.id !== webhook.id) throw unknownMessage();
    return message;
  };

  router.add('POST', '/channels/:channel_id/webhooks', ({ params, body }) => {
    const channel = world.channel(params.channel_id!);
    world.requireBotPermission(channel.id, PermissionFlagsBits.ManageWebhooks);
    const { name, avatar } = body.json as { name?: unknown; avatar?: unknown };
    checkWebhookName(name);
    const webhook: WebhookRecord = {
      id: world.ids.next(),
      token: randomBytes(34).toString('base64url'),
      guildId: channel.guildId,
      channelId: channel.id,
      name: name as string,
      avatar: typeof avatar === 'string' ? world.putImage('/avatars/webhook', dataUriBytes(avatar)) : null,
      creatorId: world.botUserId,
      applicationId,
    };
    world.webhooks.set(webhook.id, webhook);
    return toApiWebhook(world, webhook, true);
  });
  router.add('GET', '/channels/:channel_id/webhooks', ({ params }) => {
    world.requireBotPermission(params.channel_id!, PermissionFlagsBits.ManageWebhooks);
    return [...world.webhooks.values()]
      .filter((w) => w.channelId === params.channel_id)
      .map((w) => toApiWebhook(world, w, true));
  });
  router.add('GET', '/guilds/:guild_id/webhooks', ({ params }) =>
    [...world.webhooks.values()]
      .filter((w) => w.guildId === params.guild_id)
      .map((w) => toApiWebhook(world, w, true)),
  );
  router.add('GET', '/webhooks/:webhook_id', ({ params }) =>
    toApiWebhook(world, world.webhook(params.webhook_id!), true),
  );
  router.add('DELETE', '/webhooks/:webhook_id', ({ params }) => {
    const webhook = world.webhook(params.webhook_id!);
    world.requireBotPermission(webhook.channelId, PermissionFlagsBits.ManageWebhooks);
    world.webhooks.delete(webhook.id);
    return undefined;
  });
  router.add(
    'GET',
    '/webhooks/:webhook_id/:token',
    ({ params }) => toApiWebhook(world, withToken(params.webhook_id!, params.token!), false),
    'none',
  );

  router.add(
    'POST',
    '/webhooks/:webhook_id/:token',
    ({ params, query, body }) => {
      const webhook = withToken(params.webhook_id!, params.token!);
      const threadId = query.get('thread_id');
      if (threadId) {
        const thread = world.channel(threadId);
        if (thread.type !== ChannelType.PublicThread || thread.parentId !== webhook.channelId)
          throw invalidFormBody('thread_id');
      }
      const parsed = readMessageBody(body);
      const { username, avatar_url } = body.json as { username?: unknown; avatar_url?: unknown };
      if (username !== undefined) checkWebhookName(username);
      const message = actions.createMessage({
        channelId: threadId ?? webhook.channelId,
        authorId: webhook.creatorId,
        webhook: {
          id: webhook.id,
          username: (username as string | undefined) ?? webhook.name,
          avatarUrl: typeof avatar_url === 'string' ? avatar_url : null,
          applicationId: webhook.applicationId,
        },
        content: parsed.content,
        files: parsed.files,
        embeds: parsed.embeds,
        allowedMentions: parsed.allowedMentions,
      });
      return query.get('wait') === 'true' ? actions.restView(message) : undefined;
    },
    'none',
  );

  const messageRoute = '/webhooks/:webhook_id/:token/messages/:message_id';
  router.add(
    'GET',
    messageRoute,
    ({ params, query }) =>
      actions.restView(
        webhookMessage(
          withToken(params.webhook_id!, params.token!),
          params.message_id!,
          query.get('thread_id'),
        ),
      ),
    'none',
  );
  router.add(
    'PATCH',
    messageRoute,
    ({ params, query, body }) => {
      const webhook = withToken(params.webhook_id!, params.token!);
      const message = webhookMessage(webhook, params.message_id!, query.get('thread_id'));
      const parsed = readMessageBody(body);
      actions.editMessage(message, {
        content: parsed.content,
        embeds: parsed.embeds,
        files: parsed.files,
        keepAttachmentIds: parsed.keptAttachmentIds,
        allowedMentions: parsed.allowedMentions,
      });
      return actions.restView(message);
    },
    'none',
  );
  router.add(
    'DELETE',
    messageRoute,
    ({ params, query }) => {
      const webhook = withToken(params.webhook_id!, params.token!);
      actions.deleteMessage(webhookMessage(webhook, params.message_id!, query.get('thread_id')));
      return undefined;
    },
    'none',
  );
}

/**
 * Discord's webhook name rules: 1–80 characters, not "everyone"/"here", and no "discord",
 * "clyde" or code fences anywhere (case-insensitive).
 */
function checkWebhookName(name: unknown): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > 80) {
    throw invalidFormBody('username must be between 1 and 80 characters');
  }
  const lower = name.toLowerCase();
  if (lower === 'everyone' || lower === 'here' || /discord|clyde|```/.test(lower)) {
    throw new DiscordApiError(400, 50035, `Invalid Form Body: username cannot contain "${name}"`);
  }
}

function dataUriBytes(uri: string): Buffer {
  const base64 = /^data:[^;]+;base64,(.*)$/.exec(uri)?.[1];
  if (base64 === undefined) throw invalidFormBody('avatar must be a data URI');
  return Buffer.from(base64, 'base64');
}
