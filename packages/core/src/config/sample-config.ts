import type { TSchema } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { bridgeConfigSchema } from './bridge-config-schema';
import type { BridgeConfigOptions } from './bridge-options';

const LINE_WIDTH = 100;
const INDENT = '  ';

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  required?: string[];
  items?: SchemaNode;
}

/**
 * A commented sample config generated from the schema: every key with its description, set to its default
 * (or an example where it has none). Optional keys without a default are shown commented out. The sample
 * parses back into a valid config when the network schema gives `examples` for its required keys.
 */
export function renderSampleConfig(networkSchema: TSchema, options: BridgeConfigOptions): string {
  const schema = bridgeConfigSchema(networkSchema, options) as unknown as SchemaNode;
  const network = schema.properties!.network!;
  const withNetworkDescription: SchemaNode = {
    ...schema,
    properties: {
      ...schema.properties,
      network: {
        ...network,
        description: network.description ?? `Settings of the ${options.network} connector.`,
      },
    },
  };
  const lines = [
    `# Trestle ${options.network} bridge config, generated from its schema.`,
    '# Secrets can stay out of this file: write `key: !env VARIABLE` or `key: !file /path/to/secret`.',
    '',
  ];
  renderMappingBody(withNetworkDescription, sampleValue(withNetworkDescription), 0, lines);
  return lines.join('\n') + '\n';
}

/** The value a sample shows for a schema: its default, else its first example, else one built from its keys. */
function sampleValue(schema: SchemaNode): unknown {
  if (schema.default !== undefined && !isEmptyObject(schema.default)) return schema.default;
  if (schema.examples?.length) return schema.examples[0];
  if (schema.properties) {
    const value: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      const childValue = sampleValue(child);
      if (childValue !== undefined) value[key] = childValue;
    }
    return value;
  }
  return schema.default;
}

function renderMappingBody(
  schema: SchemaNode,
  value: unknown,
  depth: number,
  lines: string[],
  documented = true,
) {
  const indent = INDENT.repeat(depth);
  const values = (value ?? {}) as Record<string, unknown>;
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    // A blank line between top-level sections keeps the file scannable.
    if (depth === 0 && lines.length && lines[lines.length - 1] !== '') lines.push('');
    if (documented) lines.push(...commentLines(describeKey(schema, key, child), indent));
    const childValue = key in values ? values[key] : sampleValue(child);
    const optionalWithoutDefault = !schema.required?.includes(key) && child.default === undefined;
    if (optionalWithoutDefault) {
      const shown = childValue === undefined ? `${key}:` : yamlLines({ [key]: childValue }).join('\n');
      lines.push(...shown.split('\n').map((line) => `${indent}# ${line}`));
    } else if (child.properties) {
      lines.push(`${indent}${key}:`);
      renderMappingBody(child, childValue, depth + 1, lines, documented);
    } else if (child.items?.properties && Array.isArray(childValue) && childValue.length) {
      lines.push(`${indent}${key}:`);
      childValue.forEach((item, i) =>
        renderListItem(child.items!, item, depth + 1, lines, documented && i === 0),
      );
    } else {
      lines.push(...yamlLines({ [key]: childValue ?? null }).map((line) => indent + line));
    }
  }
}

/** A list item that is a mapping: its keys indented under `- `, documented on the first item only. */
function renderListItem(
  schema: SchemaNode,
  item: unknown,
  depth: number,
  lines: string[],
  documented: boolean,
) {
  const itemLines: string[] = [];
  renderMappingBody(schema, item, depth, itemLines, documented);
  const outer = INDENT.repeat(depth - 1);
  itemLines[0] = `${outer}- ${itemLines[0]!.slice(outer.length + INDENT.length)}`;
  lines.push(...itemLines);
}

function describeKey(parent: SchemaNode, key: string, schema: SchemaNode): string {
  const text = schema.description ?? key;
  const requiredWithoutDefault =
    parent.required?.includes(key) && schema.default === undefined && !schema.properties;
  if (!requiredWithoutDefault) return text;
  return text.endsWith('.') ? `${text} Required.` : `${text}. Required.`;
}

function commentLines(text: string, indent: string): string[] {
  const width = Math.max(40, LINE_WIDTH - indent.length - 2);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines.map((line) => `${indent}# ${line}`);
}

function yamlLines(value: Record<string, unknown>): string[] {
  return stringify(value, { lineWidth: 0 }).trimEnd().split('\n');
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
