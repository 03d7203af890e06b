import { Type, type Static } from '@sinclair/typebox';
import type { ResolvedBridgeDefaults } from '../bridge-options';
import { PatternString, Section } from '../schema-builders';

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
        },
        'Retries of messages that failed to send.',
      ),
    },
    'Bridge behaviour shared by every network.',
  );
}

/** The `bridge` section after validation. */
export type BridgeSectionConfig = Static<ReturnType<typeof bridgeSection>>;
