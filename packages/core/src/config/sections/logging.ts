import { Type, type Static } from '@sinclair/typebox';
import { Section } from '../schema-builders';

/** Schema of the `logging` section. */
export function loggingSection() {
  return Section(
    {
      level: Type.Union(
        [Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')],
        {
          default: 'info',
          description: 'Lowest level written. Message text is only logged at debug.',
        },
      ),
    },
    'Structured JSON logs on standard error.',
  );
}

/** The `logging` section after validation. */
export type LoggingConfig = Static<ReturnType<typeof loggingSection>>;
