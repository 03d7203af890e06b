import type { TSchema } from '@sinclair/typebox';

/** JSON Schema keywords this module reads; TypeBox schemas are plain JSON Schema objects. */
interface SchemaNode {
  type?: string | string[];
  properties?: Record<string, TSchema>;
  patternProperties?: Record<string, TSchema>;
  items?: TSchema;
  anyOf?: TSchema[];
}

/** The schema that governs one child of `schema` (an object property, a record value or a list item). */
export function childSchema(schema: TSchema | undefined, segment: string): TSchema | undefined {
  const node = schema as SchemaNode | undefined;
  if (!node) return undefined;
  if (node.properties && segment in node.properties) return node.properties[segment];
  if (node.patternProperties) {
    for (const [pattern, value] of Object.entries(node.patternProperties)) {
      if (new RegExp(pattern).test(segment)) return value;
    }
  }
  if (node.items && /^\d+$/.test(segment)) return node.items;
  return undefined;
}

/** True when `schema` describes a list, so a path segment below it is an index. */
export function isListSchema(schema: TSchema | undefined): boolean {
  return (schema as SchemaNode | undefined)?.type === 'array';
}

/** True when `schema` is a map with free-form (pattern-checked) keys, like `permissions`. */
export function isRecordSchema(schema: TSchema | undefined): boolean {
  return (schema as SchemaNode | undefined)?.patternProperties !== undefined;
}

/** Names of the fixed properties of an object schema (for "did you mean" hints). */
export function propertyNames(schema: TSchema | undefined): string[] {
  return Object.keys((schema as SchemaNode | undefined)?.properties ?? {});
}

/**
 * Split a JSON Pointer (as TypeBox reports error paths) into segments, turning list indexes into numbers
 * so they print as `[0]`. Returns the segments and the schema of every step (index 0 is the root).
 */
export function resolvePointer(
  root: TSchema,
  pointer: string,
): { segments: (string | number)[]; schemas: (TSchema | undefined)[] } {
  const raw =
    pointer === ''
      ? []
      : pointer
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const segments: (string | number)[] = [];
  const schemas: (TSchema | undefined)[] = [root];
  let current: TSchema | undefined = root;
  for (const segment of raw) {
    segments.push(isListSchema(current) && /^\d+$/.test(segment) ? Number(segment) : segment);
    current = childSchema(current, segment);
    schemas.push(current);
  }
  return { segments, schemas };
}
