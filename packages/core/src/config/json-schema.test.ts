import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { exampleNetworkSchema } from './example-network.fixture';
import { configJsonSchema, renderSampleConfig } from './index';

// ajv is not a dependency of core; the copy eslint depends on (ajv 6, draft-07) is enough to check our output.
const Ajv = createRequire(require.resolve('eslint'))('ajv') as new (opts?: object) => {
  validateSchema(schema: object): boolean;
  compile(
    schema: object,
  ): ((data: unknown) => boolean) & { errors?: { dataPath: string; message: string }[] };
};

const options = { network: 'irc' };

/** Every schema node that stands for a config key, with its dotted path. */
function keyNodes(node: Record<string, unknown>, path = ''): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, child] of Object.entries(properties)) {
    const childPath = path ? `${path}.${key}` : key;
    out.push([childPath, child], ...keyNodes(child, childPath));
    if (child.items) out.push(...keyNodes(child.items as Record<string, unknown>, `${childPath}[]`));
  }
  return out;
}

describe('configJsonSchema', () => {
  const schema = configJsonSchema(exampleNetworkSchema, options);

  it('is a valid draft-07 JSON Schema', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(new Ajv().validateSchema(schema)).toBe(true);
  });

  it('describes every key', () => {
    const undocumented = keyNodes(schema).filter(([, node]) => typeof node.description !== 'string');
    expect(undocumented.map(([path]) => path)).toEqual([]);
  });

  it('accepts the sample config and flags a misspelt key, as an editor would', () => {
    const validate = new Ajv().compile(schema);
    const sample = parse(renderSampleConfig(exampleNetworkSchema, options));
    expect(validate(sample)).toBe(true);
    expect(validate({ ...sample, appservice: { ...sample.appservice, prot: 1 } })).toBe(false);
  });

  it('does not ask editors to require keys that have defaults', () => {
    const validate = new Ajv().compile(schema);
    const minimal = {
      homeserver: { url: 'http://localhost:8008', domain: 'example.org' },
      appservice: { url: 'http://localhost:9000' },
      network: { servers: [{ name: 'libera', host: 'irc.libera.chat' }] },
    };
    expect(validate(minimal)).toBe(true);
    expect(validate({ ...minimal, homeserver: { domain: 'example.org' } })).toBe(false);
  });
});
