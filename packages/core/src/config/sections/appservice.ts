import { Type, type Static } from '@sinclair/typebox';
import type { ResolvedBridgeDefaults } from '../bridge-options';
import { HttpUrl, PatternString, Port, Section } from '../schema-builders';

/** Characters Matrix allows in new user localparts. */
const LOCALPART_PATTERN = '^[a-z0-9._=/+-]+$';
const LOCALPART_EXPECTED = 'a Matrix localpart (lowercase letters, digits and . _ = / + -)';

/** Schema of the `appservice` section: how the homeserver and the bridge find each other. */
export function appserviceSection(network: string, defaults: ResolvedBridgeDefaults) {
  return Section(
    {
      id: Type.String({
        minLength: 1,
        default: network,
        description: 'Unique id of this appservice registration on the homeserver.',
      }),
      bind_address: Type.String({
        minLength: 1,
        default: '127.0.0.1',
        description: 'Address the bridge listens on for the homeserver (0.0.0.0 for all interfaces).',
      }),
      port: Port({ default: defaults.port, description: 'Port the bridge listens on for the homeserver.' }),
      url: HttpUrl({
        description: 'URL at which the homeserver reaches this bridge (goes into the registration file).',
        examples: [`http://localhost:${defaults.port}`],
      }),
      bot_username: PatternString(LOCALPART_PATTERN, LOCALPART_EXPECTED, {
        default: defaults.bot_username,
        description: 'Localpart of the bridge bot user.',
      }),
      user_prefix: PatternString(LOCALPART_PATTERN, LOCALPART_EXPECTED, {
        default: defaults.user_prefix,
        description:
          'Localpart prefix of the Matrix users that stand for remote users; the bridge owns every user starting with it.',
      }),
      ghost_display_name: PatternString('\\{name\\}', 'a template containing {name}', {
        default: '{name}',
        description:
          'Display name of remote users on Matrix; {name} is their name on the network. Add a tag to show where ' +
          'they come from, e.g. "{name} (IRC)" or "{name}[d]": rooms bridged to several networks then show the ' +
          'origin on every side.',
      }),
      alias_prefix: PatternString('^[^\\s:#]+$', 'an alias localpart prefix without spaces, ":" or "#"', {
        default: defaults.alias_prefix,
        description:
          'Localpart prefix of room aliases that name remote chats; the bridge owns every alias starting with it.',
      }),
      registration: Type.String({
        minLength: 1,
        default: './registration.yaml',
        description: 'Path of the registration file (relative to the working directory).',
      }),
    },
    'The application service: how the homeserver and the bridge reach each other.',
  );
}

/** The `appservice` section after validation. */
export type AppserviceConfig = Static<ReturnType<typeof appserviceSection>>;
