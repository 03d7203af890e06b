/**
 * The IRC bridge's config section. The schema is the single source: validation, the JSON Schema
 * for editors and the sample config come from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const ChannelMappingSchema = Type.Object(
  {
    channel: Type.String({ pattern: '^[#&+!][^\\s,\\x07]+$', description: 'IRC channel, e.g. #trestle' }),
    key: Type.Optional(Type.String({ description: 'Channel key (+k), if the channel needs one' })),
    roomId: Type.Optional(
      Type.String({ pattern: '^!', description: 'Matrix room to plumb into this channel' }),
    ),
  },
  { additionalProperties: false },
);

export const SaslSchema = Type.Object(
  {
    mechanism: Type.Literal('PLAIN', { default: 'PLAIN' }),
    account: Type.String({ minLength: 1 }),
    password: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const NetworkSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9-]+$',
      description: 'Short id used in chat ids, ghost ids and aliases (e.g. "libera")',
    }),
    host: Type.String({ minLength: 1 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 6697 }),
    tls: Type.Boolean({ default: true }),
    serverPassword: Type.Optional(Type.String({ description: 'Sent as PASS before registration' })),
    sasl: Type.Optional(SaslSchema),
    botNick: Type.String({ minLength: 1, maxLength: 30, default: 'trestle' }),
    channels: Type.Array(ChannelMappingSchema, {
      default: [],
      description: 'Channels joined at start (static mappings)',
    }),
    nickTemplate: Type.String({
      default: '$DISPLAY[m]',
      description: "Nick of a Matrix user's own IRC connection: $DISPLAY (display name), $LOCALPART, $USERID",
    }),
    relay: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'One bot connection speaks for every Matrix user as "<name> text" (off by default: an admin opts in)',
        }),
        reactions: Type.Boolean({
          default: false,
          description: 'Relay Matrix reactions as readable actions',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    floodControl: Type.Object(
      {
        linesPerSecond: Type.Number({ exclusiveMinimum: 0, default: 2 }),
        burst: Type.Integer({ minimum: 1, default: 5 }),
      },
      { additionalProperties: false, default: {} },
    ),
    maxLinesPerMessage: Type.Integer({
      minimum: 1,
      default: 5,
      description: 'Longer messages are cut with a "(message truncated)" line',
    }),
  },
  { additionalProperties: false },
);

export const IrcConfigSchema = Type.Object(
  {
    networks: Type.Array(NetworkSchema, {
      minItems: 1,
      description: 'IRC networks this bridge connects to (one bot connection each)',
      examples: [
        [
          {
            name: 'libera',
            host: 'irc.libera.chat',
            port: 6697,
            tls: true,
            botNick: 'trestle',
            channels: [{ channel: '#trestle' }],
          },
        ],
      ],
    }),
  },
  { additionalProperties: false },
);

export type IrcNetworkConfig = Static<typeof NetworkSchema>;
export type IrcConfig = Static<typeof IrcConfigSchema>;

/** A config error naming the key and what was expected. */
export class IrcConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid IRC config:\n  ${problems.join('\n  ')}`);
    this.name = 'IrcConfigError';
  }
}

/** Apply defaults and validate a raw config section; throws {@link IrcConfigError} listing every problem. */
export function parseIrcConfig(raw: unknown): IrcConfig {
  const withDefaults = Value.Default(IrcConfigSchema, structuredClone(raw));
  const problems = [...Value.Errors(IrcConfigSchema, withDefaults)].map(
    (e) => `${e.path || '/'}: ${e.message}`,
  );
  if (problems.length) throw new IrcConfigError(problems);
  return withDefaults as IrcConfig;
}
