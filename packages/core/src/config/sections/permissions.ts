import { Type, type Static } from '@sinclair/typebox';
import { EXPECTED_KEY_KEYWORD } from '../describe-expected';
import { SERVER_NAME_PATTERN } from './homeserver';

/** A permission map key: `*`, a server name, or a full user id. */
const PERMISSION_KEY_PATTERN = `^(\\*|@[^:\\s]+:\\S+|${SERVER_NAME_PATTERN.slice(1, -1)})$`;

/** Schema of one permission level. */
export const PermissionLevelSchema = Type.Union(
  [Type.Literal('relay'), Type.Literal('user'), Type.Literal('admin')],
  {
    description: 'relay: may be relayed by the bot; user: may use the bridge; admin: may manage it.',
  },
);

/**
 * Schema of the `permissions` section. When it is left out, only users of the homeserver's own domain may
 * use the bridge (level `user`) and nobody is admin: safe by default.
 */
export function permissionsSection() {
  return Type.Optional(
    Type.Record(Type.String({ pattern: PERMISSION_KEY_PATTERN }), PermissionLevelSchema, {
      additionalProperties: false,
      [EXPECTED_KEY_KEYWORD]:
        '"*", a server name such as example.org, or a user id such as @alice:example.org',
      description:
        'Who may use the bridge. Keys are "*" (everyone), a server name, or a user id; values are relay, user or admin. ' +
        'A user id entry beats a server entry, which beats "*". Without this section only users of homeserver.domain ' +
        'may use the bridge (level user) and nobody is admin.',
      examples: [{ 'example.org': 'user', '@admin:example.org': 'admin' }],
    }),
  );
}

/** The `permissions` section after validation (a default is filled in when it was left out). */
export type PermissionsConfig = NonNullable<Static<ReturnType<typeof permissionsSection>>>;
