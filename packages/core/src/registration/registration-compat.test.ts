import { describe, expect, it } from '@jest/globals';
import { AppServiceRegistration } from 'matrix-appservice-bridge';
import { parseConfig } from '../config';
import { exampleNetworkSchema } from '../config/example-network.fixture';
import { generateRegistration } from './index';

const options = { network: 'irc' };
const config = parseConfig(
  `
homeserver: { url: "http://localhost:8008", domain: "example.org" }
appservice: { url: "http://bridge:9000", user_prefix: "irc_", alias_prefix: "irc_" }
network: { servers: [{ name: libera, host: irc.libera.chat }] }
`,
  exampleNetworkSchema,
  options,
);

describe('generated registrations, read by matrix-appservice-bridge (the reference implementation)', () => {
  const registration = AppServiceRegistration.fromObject(generateRegistration(config, options) as never);

  it('claim the ghosts and the bot exclusively, and nobody else', () => {
    expect(registration.isUserMatch('@irc_libera.alice:example.org', true)).toBe(true);
    expect(registration.isUserMatch('@ircbot:example.org', true)).toBe(true);
    expect(registration.isUserMatch('@alice:example.org', false)).toBe(false);
    expect(registration.isUserMatch('@irc_alice:other.org', false)).toBe(false);
  });

  it('claim the portal aliases exclusively, and no rooms', () => {
    expect(registration.isAliasMatch('#irc_libera_#matrix:example.org', true)).toBe(true);
    expect(registration.isAliasMatch('#matrix:example.org', false)).toBe(false);
    expect(registration.isRoomMatch('!anything:example.org', false)).toBe(false);
  });

  it('are not rate limited and receive ephemeral events', () => {
    expect(registration.isRateLimited()).toBe(false);
    expect(registration.pushEphemeral).toBe(true);
    expect(registration.getSenderLocalpart()).toBe('ircbot');
  });
});
