import { Type } from '@sinclair/typebox';
import { Section } from './schema-builders';

/** A network section shaped like a real connector's (a list of servers, a secret), for the config tests. */
export const exampleNetworkSchema = Section(
  {
    servers: Type.Array(
      Section(
        {
          name: Type.String({ minLength: 1, description: 'Short name of the server.', examples: ['libera'] }),
          host: Type.String({ minLength: 1, description: 'Host name.', examples: ['irc.libera.chat'] }),
          port: Type.Integer({ minimum: 1, maximum: 65535, default: 6697, description: 'TLS port.' }),
          password: Type.Optional(Type.String({ description: 'Server password.' })),
        },
        'One IRC server.',
      ),
      {
        minItems: 1,
        description: 'Servers to bridge.',
        examples: [[{ name: 'libera', host: 'irc.libera.chat' }]],
      },
    ),
    nick_template: Type.String({ default: '$DISPLAY[m]', description: 'Nick of a Matrix user on IRC.' }),
  },
  'Settings of the example connector.',
);
