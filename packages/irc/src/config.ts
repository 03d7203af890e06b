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
  },
  { additionalProperties: false },
);

export const SaslSchema = Type.Object(
  {
    mechanism: Type.Literal('PLAIN', { default: 'PLAIN', description: 'SASL mechanism (PLAIN)' }),
    account: Type.String({ minLength: 1, description: "The bot's services account" }),
    password: Type.String({ minLength: 1, description: 'Its password (use !env or !file)' }),
  },
  { additionalProperties: false, description: 'Log the bot in to services with SASL' },
);

export const ClientCertificateSchema = Type.Object(
  {
    certificate: Type.String({
      minLength: 1,
      description: 'PEM certificate (e.g. !file /etc/trestle/irc-bot.pem)',
    }),
    privateKey: Type.String({
      minLength: 1,
      description: 'Its PEM private key, unencrypted (e.g. !file /etc/trestle/irc-bot.key)',
    }),
  },
  {
    additionalProperties: false,
    description:
      "TLS client certificate the bot presents (needs tls). Without sasl, the bot logs in with SASL EXTERNAL to the services account the certificate's fingerprint is registered to (NickServ CERT ADD)",
  },
);

export const NetworkSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z0-9-]+$',
      description: 'Short id used in chat ids, ghost ids and aliases (e.g. "libera")',
    }),
    host: Type.String({ minLength: 1, description: 'IRC server host name' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 6697, description: 'IRC server port' }),
    tls: Type.Boolean({
      default: true,
      description: 'Connect with TLS (turn off only for a server on loopback)',
    }),
    tlsCa: Type.Optional(
      Type.String({
        description:
          "PEM certificate(s) of a CA to trust for this network's TLS certificate, besides the system's (e.g. !file /etc/trestle/irc-ca.pem)",
      }),
    ),
    tlsSkipVerify: Type.Boolean({
      default: false,
      description:
        "Accept any TLS certificate (self-signed, expired, another host's): anyone on the path can read and change the traffic",
    }),
    serverPassword: Type.Optional(Type.String({ description: 'Sent as PASS before registration' })),
    sasl: Type.Optional(SaslSchema),
    tlsClientCertificate: Type.Optional(ClientCertificateSchema),
    botNick: Type.String({
      minLength: 1,
      maxLength: 30,
      default: 'trestle',
      description: "The bridge bot's nick (it joins every bridged channel)",
    }),
    channels: Type.Array(ChannelMappingSchema, {
      default: [],
      description: 'Channels the bot joins at start; bridge each to a room with an alias or the link command',
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
      {
        additionalProperties: false,
        default: {},
        description: 'Relay mode: the bot speaks for Matrix users',
      },
    ),
    virtualUsers: Type.Object(
      {
        enabled: Type.Boolean({
          default: false,
          description:
            'Give each Matrix user their own IRC connection, so they speak under their own nick (no "<name>" prefix)',
        }),
        nickTemplate: Type.String({
          pattern: '\\$(DISPLAY|LOCALPART)',
          default: '$DISPLAY[m]',
          description:
            "Nick of a Matrix user: $DISPLAY (display name) or $LOCALPART (user id localpart), sanitised to the server's rules; a nick in use gets _2, _3 …",
        }),
        maxConnections: Type.Integer({
          minimum: 0,
          default: 1000,
          description: 'Most virtual users connected to this network at once',
        }),
        overLimit: Type.Union([Type.Literal('relay'), Type.Literal('refuse')], {
          default: 'relay',
          description:
            'A Matrix user who gets no connection (limit reached): "relay" speaks for them through the bot (needs relay.enabled), "refuse" tells them their message was not delivered',
        }),
        idleMinutes: Type.Integer({
          minimum: 0,
          default: 1440,
          description:
            'Disconnect a virtual user after this many minutes without Matrix activity (0 = never); the next message reconnects them',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'Per-Matrix-user IRC connections ("virtual users")',
      },
    ),
    floodControl: Type.Object(
      {
        linesPerSecond: Type.Number({
          exclusiveMinimum: 0,
          default: 2,
          description: 'Lines per second the bot sends on average (servers disconnect for "Excess Flood")',
        }),
        burst: Type.Integer({
          minimum: 1,
          default: 5,
          description: 'Lines it may send at once after a pause',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'Flood control of each connection (the bot and every virtual user)',
      },
    ),
    modePowerLevels: Type.Record(
      Type.String({ pattern: '^[a-zA-Z]$' }),
      Type.Integer({ minimum: 0, maximum: 100 }),
      {
        default: { o: 50, h: 25, v: 1 },
        description:
          "Power level of the ghost of an IRC user holding a channel prefix mode (o = operator, h = half-op, v = voice); the highest applies, none is 0 (after matrix-appservice-irc's modePowerMap)",
      },
    ),
    opsFromMatrix: Type.Boolean({
      default: true,
      description:
        'Give +o on IRC to a Matrix user whose power level reaches modePowerLevels.o and whose virtual user is in the channel (when the bot is channel operator); -o when it drops below',
    }),
    netsplitGraceSeconds: Type.Integer({
      minimum: 0,
      default: 300,
      description:
        'QUITs that look like a netsplit ("irc.a.net irc.b.net") are held this long: users who come back never leave the Matrix room; the others leave after it, with one summary notice (0 = bridge every QUIT at once)',
    }),
    memberList: Type.Union([Type.Literal('full'), Type.Literal('lazy')], {
      default: 'full',
      description:
        'IRC users as room members: "full" joins the ghost of everyone in the channel when the room is created or linked and follows every JOIN; "lazy" joins a ghost only when that user first speaks (for big channels; after matrix-appservice-irc\'s membershipLists)',
    }),
    maxLinesPerMessage: Type.Integer({
      minimum: 1,
      default: 5,
      description:
        'IRC lines one Matrix message may become; a longer one is uploaded and posted as a link when bridge.public_media is enabled, else cut with "(… N more lines not shown)"',
    }),
  },
  { additionalProperties: false },
);

export const ConnectRateSchema = Type.Object(
  {
    perSecond: Type.Number({
      exclusiveMinimum: 0,
      default: 50,
      description:
        'New virtual-user connections per second across all networks (most recently active users first)',
    }),
    jitterMs: Type.Integer({
      minimum: 0,
      default: 200,
      description:
        'Random extra delay per connection, so reconnects after a netsplit do not arrive in lockstep',
    }),
    reconnectInitialMs: Type.Integer({
      minimum: 0,
      default: 2000,
      description: 'First wait before a dropped virtual user reconnects; doubles per failed attempt',
    }),
    reconnectMaxMs: Type.Integer({
      minimum: 0,
      default: 300_000,
      description: 'Longest wait between reconnect attempts',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Connect-rate cap and reconnect backoff of virtual users',
  },
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
    connectRate: ConnectRateSchema,
    secretKey: Type.Optional(
      Type.String({
        minLength: 16,
        description:
          'Key that encrypts stored NickServ/SASL passwords of Matrix users (AES-GCM); give it as !env VAR or !file PATH. Without it the login command is refused',
      }),
    ),
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
