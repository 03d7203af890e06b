import { Type, type TProperties, type TString } from '@sinclair/typebox';
import { EXPECTED_KEYWORD } from './describe-expected';

/**
 * A config section: a mapping that rejects unknown keys (so typos are caught) and defaults to `{}` (so a
 * section whose keys all have defaults may be left out). Bridge authors should build their `network`
 * section with it too.
 */
export function Section<P extends TProperties>(properties: P, description: string) {
  return Type.Object(properties, { description, additionalProperties: false, default: {} });
}

/** A string that must match `pattern`, described to admins as `expected` when it does not. */
export function PatternString(
  pattern: string,
  expected: string,
  options: { description: string; default?: string; examples?: string[] },
): TString {
  return Type.String({ ...options, pattern, [EXPECTED_KEYWORD]: expected });
}

/** An http(s) URL. */
export function HttpUrl(options: { description: string; default?: string; examples?: string[] }): TString {
  return PatternString('^https?://[^\\s/]+', 'an http:// or https:// URL', options);
}

/** A TCP port number. */
export function Port(options: { description: string; default?: number }) {
  return Type.Integer({ ...options, minimum: 1, maximum: 65535 });
}
