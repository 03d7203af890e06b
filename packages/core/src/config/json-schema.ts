import type { TSchema } from '@sinclair/typebox';
import { bridgeConfigSchema } from './bridge-config-schema';
import type { BridgeConfigOptions } from './bridge-options';

/** A JSON Schema document as plain JSON. */
export type JsonSchemaDocument = Record<string, unknown>;

/**
 * The bridge config schema as a JSON Schema (draft-07) document for editors (e.g. the YAML language server's
 * `# yaml-language-server: $schema=...`). Keys that have defaults are not listed as required, since an admin
 * may leave them out.
 */
export function configJsonSchema(networkSchema: TSchema, options: BridgeConfigOptions): JsonSchemaDocument {
  const schema = JSON.parse(JSON.stringify(bridgeConfigSchema(networkSchema, options))) as JsonSchemaDocument;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...(relaxDefaultedKeys(schema) as JsonSchemaDocument),
  };
}

/** Drop keys with a `default` from every `required` list, recursively. */
function relaxDefaultedKeys(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relaxDefaultedKeys);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = relaxDefaultedKeys(value);
  const properties = out.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(out.required) && properties) {
    const required = (out.required as string[]).filter((name) => properties[name]?.default === undefined);
    if (required.length) out.required = required;
    else delete out.required;
  }
  return out;
}
