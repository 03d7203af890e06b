/**
 * The `network` section of the Telegram bridge's config (TypeBox: validated by the core, and the
 * source of the sample config and JSON Schema).
 */
import { Type, type Static } from '@sinclair/typebox';

function paceLimit(messages: number, seconds: number, description: string) {
  return Type.Object(
    {
      messages: Type.Integer({ minimum: 1, default: messages, description: 'How many posts…' }),
      seconds: Type.Number({
        exclusiveMinimum: 0,
        default: seconds,
        description: '…in any window of this many seconds.',
      }),
    },
    { default: {}, description },
  );
}

export const telegramConfigSchema = Type.Object(
  {
    bot_token: Type.String({
      pattern: '^[0-9]+:[A-Za-z0-9_-]+$',
      description:
        'The bot token from @BotFather ("<bot id>:<secret>"). Keep it secret: prefer a file or environment variable.',
      examples: ['123456789:AAEexampleTokenFromBotFather'],
    }),
    api_root: Type.String({
      default: 'https://api.telegram.org',
      description:
        'The Bot API server; change it for a self-hosted telegram-bot-api server (or a test simulator).',
    }),
    relay: Type.Object(
      {
        name_format: Type.String({
          default: '<b>$NAME</b>: ',
          description:
            'Prefix written before a relayed Matrix message. $NAME is the display name (with the Matrix id added when two senders in a chat share it), $DISPLAYNAME the bare display name, $USERID the Matrix id. Tags allowed: <b>, <i>, <u>, <code>.',
        }),
        emote_format: Type.String({
          default: '* $NAME ',
          description: 'Prefix for /me emotes, same placeholders and tags.',
        }),
      },
      { default: {}, description: 'How Matrix users are shown on Telegram (the bot relays them).' },
    ),
    link_approval: Type.Union([Type.Literal('telegram_admin'), Type.Literal('none')], {
      default: 'telegram_admin',
      description:
        'Who must agree before a Matrix admin links a Telegram group or channel: "telegram_admin" (an admin of the Telegram chat sends /bridge there first; the approval lasts one hour) or "none".',
    }),
    allowed_chats: Type.Array(Type.String({ pattern: '^-?[0-9]+$' }), {
      default: [],
      description:
        'Telegram chat ids that may be linked to Matrix rooms; empty allows every chat the bot is in. Private chats are not limited by it (pairing is their permission).',
    }),
    forum_topics: Type.Union([Type.Literal('threads'), Type.Literal('rooms')], {
      default: 'threads',
      description:
        'How topics of a linked forum supergroup appear on Matrix: "threads" (each topic a thread in the portal room) or "rooms" (each topic its own room, created when it is first used, in a space for the group together with the portal room; the portal room\'s members are invited).',
    }),
    send_pacing: Type.Object(
      {
        enabled: Type.Boolean({
          default: true,
          description: 'Queue posts to stay within the limits below instead of provoking 429s.',
        }),
        private_chat: paceLimit(1, 1, 'Posts per private chat (Telegram: about 1 per second).'),
        group: paceLimit(20, 60, 'Posts per group, supergroup or channel (Telegram: 20 per minute).'),
        overall: paceLimit(30, 1, 'Posts across all chats (Telegram: about 30 per second).'),
      },
      {
        default: {},
        description:
          "Telegram's flood limits for bots (Bot API FAQ, core.telegram.org/bots/faq): the bridge queues posts per chat, in order, so that Telegram does not answer 429.",
      },
    ),
    poll_timeout_seconds: Type.Integer({
      minimum: 0,
      maximum: 50,
      default: 50,
      description: 'Long-poll timeout for getUpdates (Telegram holds the request this long when idle).',
    }),
  },
  { description: 'Telegram (Bot API) connection and relay settings.' },
);

export type TelegramConfig = Static<typeof telegramConfigSchema>;
