import { Type, type Static } from '@sinclair/typebox';
import { PatternString, Section } from '../schema-builders';

/** Schema of the `database` section: where the bridge keeps its state. */
export function databaseSection() {
  return Section(
    {
      engine: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], {
        default: 'sqlite',
        description:
          'Storage engine: "sqlite" (embedded, one file) or "postgres" (recommended for production).',
      }),
      path: Type.String({
        minLength: 1,
        default: './data/trestle.sqlite',
        description: 'SQLite database file (engine sqlite), relative to the working directory.',
      }),
      checkpoint_worker: Type.Boolean({
        default: false,
        description:
          'SQLite only: run WAL checkpoints in a worker thread, off the event loop. 10-50% more messages per second on a busy bridge, about 14 MB more memory.',
      }),
      url: Type.Optional(
        PatternString('^postgres(ql)?://', 'a postgres:// or postgresql:// connection URL', {
          description:
            'PostgreSQL connection URL (engine postgres). Keep the password out of the file with !env or !file.',
          examples: ['postgresql://trestle:secret@localhost/trestle'],
        }),
      ),
    },
    'Where the bridge stores portals, ghosts, logins and the message map.',
  );
}

/** The `database` section after validation. */
export type DatabaseConfig = Static<ReturnType<typeof databaseSection>>;
