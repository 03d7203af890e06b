import { Type, type Static } from '@sinclair/typebox';
import type { ResolvedBridgeDefaults } from '../bridge-options';
import { HttpUrl, PatternString, Section } from '../schema-builders';

/** Schema of the `bridge` section: behaviour shared by every network. */
export function bridgeSection(defaults: ResolvedBridgeDefaults) {
  return Section(
    {
      management_room: Type.Optional(
        PatternString('^!.+:.+$', 'a room id such as !abc:example.org', {
          description: 'Room where admins talk to the bridge bot without a command prefix.',
          examples: ['!management:example.org'],
        }),
      ),
      command_prefix: PatternString('^\\S+$', 'a prefix without spaces', {
        default: defaults.command_prefix,
        description: 'Prefix of bot commands in portal rooms, e.g. "<prefix> help".',
      }),
      delivery: Section(
        {
          max_attempts: Type.Integer({
            minimum: 1,
            maximum: 100,
            default: 5,
            description: 'Attempts per message before it is given up and a notice is posted in the room.',
          }),
          initial_backoff_ms: Type.Integer({
            minimum: 0,
            default: 500,
            description: 'Wait before the first retry, in milliseconds; doubles on each retry.',
          }),
          max_backoff_ms: Type.Integer({
            minimum: 1,
            default: 30000,
            description: 'Longest wait between retries, in milliseconds.',
          }),
          max_outage_seconds: Type.Integer({
            minimum: 0,
            default: 3600,
            description:
              'How long messages wait, in order, for a network that cannot be reached (IRC server restarting, API down) before they are given up with a notice; retries during an outage do not count as attempts.',
          }),
        },
        'Retries of messages that failed to send.',
      ),
      public_media: Section(
        {
          enabled: Type.Boolean({
            default: false,
            description:
              'Serve signed public links to Matrix media under /_trestle/media/ on the appservice listener, so people on the network can open files and long messages without a Matrix account.',
          }),
          external_url: Type.Optional(
            HttpUrl({
              description:
                'Where that listener is reachable from the internet (usually a reverse proxy forwarding /_trestle/media/ to appservice.port), e.g. https://bridge.example.org.',
              examples: ['https://bridge.example.org'],
            }),
          ),
          signing_key: Type.Optional(
            Type.String({
              minLength: 32,
              description:
                'Secret that signs the links (at least 32 characters; give it as !env VAR or !file PATH). Changing it breaks every link given out.',
            }),
          ),
        },
        'Public links to Matrix media for people on the network (like mautrix bridgev2 public_media).',
      ),
    },
    'Bridge behaviour shared by every network.',
  );
}

/** The `bridge` section after validation. */
export type BridgeSectionConfig = Static<ReturnType<typeof bridgeSection>>;
