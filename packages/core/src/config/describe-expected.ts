import type { TSchema } from '@sinclair/typebox';

/**
 * Schema keyword carrying a human phrase for what a value must be ("an http:// or https:// URL").
 * Used where the JSON Schema constraint (a regex) would read poorly in an error message. Vendor
 * extension keywords are ignored by JSON Schema validators and editors.
 */
export const EXPECTED_KEYWORD = 'x-expected';

/** Schema keyword on a map schema (like `permissions`) saying in words which keys it accepts. */
export const EXPECTED_KEY_KEYWORD = 'x-expected-key';

interface DescribableSchema {
  [EXPECTED_KEYWORD]?: string;
  type?: string;
  const?: unknown;
  anyOf?: DescribableSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  items?: DescribableSchema;
}

/** Say in words what a schema accepts, e.g. `integer between 1 and 65535` or `one of "sqlite", "postgres"`. */
export function describeExpected(schema: TSchema | undefined): string {
  const s = schema as DescribableSchema | undefined;
  if (!s) return 'a known key';
  if (s[EXPECTED_KEYWORD]) return s[EXPECTED_KEYWORD];
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) {
    const options = s.anyOf.map((o) =>
      o.const !== undefined ? JSON.stringify(o.const) : describeExpected(o as TSchema),
    );
    return options.length === 1 ? options[0]! : `one of ${options.join(', ')}`;
  }
  switch (s.type) {
    case 'integer':
    case 'number':
      return describeRange(s.type, s.minimum, s.maximum);
    case 'string':
      if (s.pattern) return `a string matching /${s.pattern}/`;
      return s.minLength ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping of keys to values';
    case 'array':
      return `a list of ${s.items ? describeExpected(s.items as TSchema) : 'values'}`;
    default:
      return 'a valid value';
  }
}

function describeRange(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind} between ${min} and ${max}`;
  if (min !== undefined) return `${kind} of at least ${min}`;
  if (max !== undefined) return `${kind} of at most ${max}`;
  return kind;
}

/** Say what was found, briefly: strings and numbers as YAML would show them, structures by kind. */
export function describeActual(value: unknown): string {
  if (value === null) return 'null (empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}
