import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { exampleNetworkSchema } from './example-network.fixture';
import { parseConfig, renderSampleConfig } from './index';

const options = { network: 'irc', defaults: { port: 9999 } };

describe('renderSampleConfig', () => {
  const sample = renderSampleConfig(exampleNetworkSchema, options);

  it('parses back into a valid config that holds the defaults', () => {
    const config = parseConfig(sample, exampleNetworkSchema, options);
    expect(config.appservice.port).toBe(9999);
    expect(config.bridge.command_prefix).toBe('!irc');
    expect(config.network.servers).toEqual([{ name: 'libera', host: 'irc.libera.chat', port: 6697 }]);
  });

  it('puts a comment above every key', () => {
    const lines = sample.split('\n');
    const undocumented = lines.filter(
      (line, i) => /^\s*(- )?(# )?[a-z_]+:/.test(line) && !/^\s*(- )?#/.test(lines[i - 1] ?? ''),
    );
    expect(undocumented).toEqual([]);
  });

  it('shows optional keys without a default commented out, with an example', () => {
    expect(sample).toContain('  # management_room: "!management:example.org"');
    expect(sample).toContain('  # url: postgresql://trestle:secret@localhost/trestle');
    expect(parse(sample).bridge.management_room).toBeUndefined();
  });

  it('marks keys an admin must fill in as required', () => {
    expect(sample).toMatch(
      /# Server name of the homeserver: the part after ":" in user ids\. Required\.\n\s+domain: example\.org/,
    );
  });
});
