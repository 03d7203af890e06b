import type { Static } from '@sinclair/typebox';
import { HttpUrl, PatternString, Section } from '../schema-builders';

/** Matrix server names: a DNS name, IPv4 or bracketed IPv6 literal, with an optional port. */
export const SERVER_NAME_PATTERN = '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$';

/** Schema of the `homeserver` section: where the homeserver is and what it is called. */
export function homeserverSection() {
  return Section(
    {
      url: HttpUrl({
        description: 'Client-server API URL the bridge uses to reach the homeserver.',
        examples: ['http://localhost:8008'],
      }),
      domain: PatternString(SERVER_NAME_PATTERN, 'a Matrix server name such as example.org', {
        description: 'Server name of the homeserver: the part after ":" in user ids.',
        examples: ['example.org'],
      }),
    },
    'The Matrix homeserver this bridge belongs to.',
  );
}

/** The `homeserver` section after validation. */
export type HomeserverConfig = Static<ReturnType<typeof homeserverSection>>;
