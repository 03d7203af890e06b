import { Type, type Static } from '@sinclair/typebox';

const NamespaceSchema = Type.Object(
  {
    exclusive: Type.Boolean({ description: 'Whether only this appservice may create matching ids.' }),
    regex: Type.String({ minLength: 1, description: 'Regular expression over full ids.' }),
  },
  { description: 'One namespace the appservice claims.' },
);

/**
 * Schema of an appservice registration file, as read by Synapse and other homeservers. Keys mirror the YAML;
 * unknown keys are allowed because homeservers accept vendor extensions (MSCs) there.
 */
export const RegistrationSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'Unique id of the appservice.' }),
    url: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
      description: 'Where the homeserver pushes transactions (null: no pushes).',
    }),
    as_token: Type.String({ minLength: 1, description: 'Token the appservice presents to the homeserver.' }),
    hs_token: Type.String({ minLength: 1, description: 'Token the homeserver presents to the appservice.' }),
    sender_localpart: Type.String({ minLength: 1, description: 'Localpart of the appservice bot.' }),
    namespaces: Type.Object(
      {
        users: Type.Optional(Type.Array(NamespaceSchema)),
        aliases: Type.Optional(Type.Array(NamespaceSchema)),
        rooms: Type.Optional(Type.Array(NamespaceSchema)),
      },
      { description: 'User ids, room aliases and room ids the appservice claims.' },
    ),
    rate_limited: Type.Optional(Type.Boolean()),
    protocols: Type.Optional(Type.Array(Type.String())),
    receive_ephemeral: Type.Optional(Type.Boolean()),
    'de.sorunome.msc2409.push_ephemeral': Type.Optional(Type.Boolean()),
  },
  { description: 'Appservice registration.' },
);

/** An appservice registration (`registration.yaml`); property names are the YAML keys. */
export type Registration = Static<typeof RegistrationSchema>;

/** One namespace entry of a registration. */
export type RegistrationNamespace = Static<typeof NamespaceSchema>;
