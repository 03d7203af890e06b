import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { describeActual, describeExpected, EXPECTED_KEY_KEYWORD } from './describe-expected';
import { formatKeyPath, type Problem } from './problems';
import { isRecordSchema, propertyNames, resolvePointer } from './schema-walk';

/** The outcome of checking a value: the value with defaults applied, and everything wrong with it. */
export interface SchemaCheckResult<T> {
  value: T;
  problems: Problem[];
}

/**
 * Check `input` against `schema`: fill in defaults, convert scalars the schema asks for (so `"8080"` from an
 * environment variable becomes a port number), then report every problem, one per key, in words.
 * The input is not modified.
 */
export function checkAgainstSchema<T>(schema: TSchema, input: unknown): SchemaCheckResult<T> {
  const value = Value.Convert(schema, Value.Default(schema, Value.Clone(input)));
  const firstErrorPerKey = new Map<string, ValueError>();
  for (const error of Value.Errors(schema, value)) {
    if (!firstErrorPerKey.has(error.path)) firstErrorPerKey.set(error.path, error);
  }
  const problems = [...firstErrorPerKey.values()].map((error) => describeError(schema, error));
  return { value: value as T, problems };
}

function describeError(root: TSchema, error: ValueError): Problem {
  const { segments, schemas } = resolvePointer(root, error.path);
  const key = formatKeyPath(segments);
  const schema = schemas[schemas.length - 1];
  const parent = schemas[schemas.length - 2];
  switch (error.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return { key, message: describeUnknownKey(parent, String(segments[segments.length - 1])) };
    case ValueErrorType.ObjectRequiredProperty:
      return { key, message: `required key is missing (expected ${describeExpected(schema)})` };
    default:
      return {
        key,
        message: `expected ${describeExpected(error.schema)}, got ${describeActual(error.value)}`,
      };
  }
}

function describeUnknownKey(parent: TSchema | undefined, name: string): string {
  if (isRecordSchema(parent)) {
    const expectedKey = (parent as { [EXPECTED_KEY_KEYWORD]?: string })[EXPECTED_KEY_KEYWORD];
    return `not a valid key here (expected ${expectedKey ?? 'a key of the documented form'})`;
  }
  const known = propertyNames(parent);
  const suggestion = closestName(name, known);
  if (suggestion) return `unknown key (did you mean "${suggestion}"?)`;
  return known.length ? `unknown key (known keys: ${known.join(', ')})` : 'unknown key';
}

/** The known name within edit distance 2 of a typo (or sharing its spelling but not its case/separators). */
function closestName(name: string, known: string[]): string | undefined {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance =
      candidate.toLowerCase().replace(/[-_]/g, '') === normalized ? 0 : editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
