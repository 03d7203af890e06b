import { describe, expect, it } from '@jest/globals';
import { DEFAULT_INSPIRCD_MODULES, renderInspircdConfig, type InspircdConfigInput } from './inspircd-config';

const base: InspircdConfigInput = {
  port: 6667,
  serverName: 'irc.trestle.test',
  networkName: 'TrestleTest',
  logFile: '/tmp/ircd.log',
  modules: DEFAULT_INSPIRCD_MODULES,
  operPassword: 'oper',
};
const modulesOf = (config: string) => [...config.matchAll(/<module name="([^"]+)">/g)].map((m) => m[1]);

describe('renderInspircdConfig', () => {
  it('a plain test server opens no TLS or server port and needs no password', () => {
    const config = renderInspircdConfig(base);
    expect(config).not.toContain('type="servers"');
    expect(config).not.toContain('sslprofile');
    expect(config).not.toMatch(/<connect[^>]*password=/);
  });

  it('TLS adds a gnutls client port with the given certificate and WHOIS shows TLS users', () => {
    const config = renderInspircdConfig({
      ...base,
      tls: { port: 6697, certFile: '/c.pem', keyFile: '/k.pem' },
    });
    expect(config).toContain('<bind address="127.0.0.1" port="6697" type="clients" ssl="tests">');
    expect(config).toMatch(/<sslprofile [^>]*certfile="\/c\.pem" keyfile="\/k\.pem"/);
    expect(modulesOf(config)).toEqual(expect.arrayContaining(['ssl_gnutls', 'sslinfo']));
  });

  it('a connect password is required of every client', () => {
    expect(renderInspircdConfig({ ...base, connectPassword: 'pw' })).toMatch(
      /<connect name="main"[^>]* password="pw" hash="plaintext"/,
    );
  });

  it('a services link is U-lined, is the SASL target and loads each module services need once', () => {
    const config = renderInspircdConfig({
      ...base,
      modules: [...DEFAULT_INSPIRCD_MODULES, 'sasl'],
      serverPort: 7000,
      links: [{ name: 'services.test', port: 1, password: 'link', services: true }],
    });
    expect(config).toContain('<bind address="127.0.0.1" port="7000" type="servers">');
    expect(config).toContain('<uline server="services.test" silent="yes">');
    expect(config).toContain('<sasl target="services.test" requiressl="no">');
    const modules = modulesOf(config);
    expect(modules).toEqual(
      expect.arrayContaining(['spanningtree', 'services_account', 'sasl', 'hidechans', 'svshold']),
    );
    expect(new Set(modules).size).toBe(modules.length);
  });

  it('a services link without SASL leaves the sasl module and target out', () => {
    const config = renderInspircdConfig({
      ...base,
      serverPort: 7000,
      links: [{ name: 'services.test', port: 1, password: 'link', services: true, sasl: false }],
    });
    expect(config).toContain('<uline server="services.test" silent="yes">');
    expect(config).not.toContain('<sasl ');
    expect(modulesOf(config)).not.toContain('sasl');
    expect(modulesOf(config)).toContain('services_account');
  });
});
