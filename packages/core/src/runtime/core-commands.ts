/**
 * The bot commands every bridge has (`help` comes with the router): `link <chat>` plumbs the current
 * room into a remote chat, `unlink` removes the link, `status` says what the room is bridged to; plus
 * whatever the connector adds.
 */
import type { Connector } from '../connector/connector';
import { canPlumb, providesCommands, watchesUnlinks } from '../connector/connector';
import type { BridgeConfig } from '../config';
import { CommandRouter } from '../commands';
import type { CommandDefinition } from '../commands/command';
import type { BridgeRuntime } from './bridge-runtime';
import type { CommandHandler } from './bot-intercept';

export function buildCommands(
  runtime: BridgeRuntime,
  connector: Connector,
  config: BridgeConfig,
): CommandHandler {
  const router = new CommandRouter({
    prefix: config.bridge.command_prefix,
    permissions: config.permissions,
    botName: connector.displayName,
  });
  for (const def of coreCommands(runtime, connector)) router.register(def);
  if (providesCommands(connector)) for (const def of connector.commands()) router.register(def);
  return {
    handle: ({ roomId, sender, body }) =>
      router.handle({
        roomId,
        sender,
        body,
        isManagementRoom: roomId === config.bridge.management_room,
        reply: async (text) => {
          await runtime.api.sendEvent(
            roomId,
            'm.room.message',
            { msgtype: 'm.notice', body: text },
            `trestle.cmd.${Date.now()}.${Math.random()}`,
          );
        },
      }),
  };
}

function coreCommands(runtime: BridgeRuntime, connector: Connector): CommandDefinition[] {
  const commands: CommandDefinition[] = [
    {
      name: 'status',
      summary: `Say whether this room is bridged to ${connector.displayName}, and to which chat`,
      level: 'relay',
      async run(ctx) {
        const portal = await runtime.portals.byRoom(ctx.roomId);
        await ctx.reply(
          portal
            ? `This room is bridged to ${connector.displayName} chat ${portal.chatId}${portal.plumbed ? ' (plumbed)' : ''}.`
            : `This room is not bridged to ${connector.displayName}.`,
        );
      },
    },
    {
      name: 'unlink',
      summary: `Stop bridging this room to ${connector.displayName}`,
      level: 'admin',
      async run(ctx) {
        const portal = await runtime.portals.byRoom(ctx.roomId);
        if (!portal) return ctx.reply(`This room is not bridged to ${connector.displayName}.`);
        await runtime.portals.unlink(portal);
        if (watchesUnlinks(connector)) await connector.portalUnlinked(portal);
        await ctx.reply(`Unlinked from ${connector.displayName} chat ${portal.chatId}.`);
      },
    },
  ];
  if (canPlumb(connector)) {
    commands.push({
      name: 'link',
      summary: `Bridge this room to a ${connector.displayName} chat`,
      usage: 'link <chat>',
      level: 'admin',
      async run(ctx) {
        const chatId = ctx.args[0];
        if (!chatId) return ctx.reply('Usage: link <chat>');
        if (await runtime.portals.byRoom(ctx.roomId))
          return ctx.reply('This room is already bridged; unlink it first.');
        if (await runtime.portals.byChat(chatId))
          return ctx.reply(`${chatId} is already bridged to another room.`);
        if (await runtime.api.getState(ctx.roomId, 'm.room.encryption')) {
          return ctx.reply('This room is encrypted; Trestle cannot bridge encrypted rooms yet.');
        }
        const chat = await connector.prepareLink(chatId, ctx.sender);
        const { markedAsBridged } = await runtime.portals.plumb(ctx.roomId, chat);
        if (chat.powerLevels) await runtime.applyRemoteLevels(chat.chatId, chat.powerLevels);
        if (chat.members?.length) void runtime.joinMembers(ctx.roomId, chat.members);
        await ctx.reply(
          `This room is now bridged to ${connector.displayName} chat ${chat.chatId}.` +
            (markedAsBridged
              ? ''
              : ' Give the bridge bot power level 50 so clients can show the room as bridged.'),
        );
      },
    });
  }
  return commands;
}
