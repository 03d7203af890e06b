import { describe, expect, it } from '@jest/globals';
import { IrcConfigError, parseIrcConfig } from './config';

describe('IRC config', () => {
  it('fills safe defaults: TLS on, relay off, flood control on', () => {
    const config = parseIrcConfig({ networks: [{ name: 'libera', host: 'irc.libera.chat' }] });
    expect(config.networks[0]).toMatchObject({
      port: 6697,
      tls: true,
      botNick: 'trestle',
      channels: [],
      relay: { enabled: false, reactions: false },
      floodControl: { linesPerSecond: 2, burst: 5 },
      memberList: 'full',
    });
  });

  it('names the key that is wrong', () => {
    expect(() => parseIrcConfig({ networks: [{ name: 'Bad Name', host: 'h', port: 70000 }] })).toThrow(
      IrcConfigError,
    );
    try {
      parseIrcConfig({ networks: [{ name: 'Bad Name', host: 'h', port: 70000 }] });
    } catch (err) {
      expect((err as IrcConfigError).problems.join('\n')).toMatch(
        /\/networks\/0\/name[\s\S]*\/networks\/0\/port/,
      );
    }
  });

  it("takes the bot's TLS client certificate and refuses unknown keys in it", () => {
    const network = { name: 'libera', host: 'irc.libera.chat' };
    const tlsClientCertificate = { certificate: 'CERT PEM', privateKey: 'KEY PEM' };
    expect(parseIrcConfig({ networks: [{ ...network, tlsClientCertificate }] }).networks[0]).toMatchObject({
      tlsClientCertificate,
    });
    expect(() =>
      parseIrcConfig({
        networks: [{ ...network, tlsClientCertificate: { ...tlsClientCertificate, key: 'x' } }],
      }),
    ).toThrow(IrcConfigError);
  });
});
