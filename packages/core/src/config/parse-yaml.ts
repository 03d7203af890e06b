import { parseDocument, type ScalarTag } from 'yaml';
import type { Problem } from './problems';

/**
 * Parse YAML text into plain data; `unreadable` means there is no data worth validating. Syntax errors, duplicate keys and unknown `!tags` are problems with a
 * line and column; an empty document is an empty mapping.
 */
export function parseYaml(
  text: string,
  customTags: ScalarTag[] = [],
): { value: unknown; problems: Problem[]; unreadable: boolean } {
  const doc = parseDocument(text, { customTags, prettyErrors: true, uniqueKeys: true });
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((issue) => ({
    key: '',
    message: `YAML ${issue.linePos ? `line ${issue.linePos[0].line}, column ${issue.linePos[0].col}` : 'document'}: ${firstLine(issue.message)}`,
  }));
  if (doc.errors.length) return { value: {}, problems, unreadable: true };
  const value: unknown = doc.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ key: '', message: 'expected a mapping of keys to values at the top of the file' });
    return { value: {}, problems, unreadable: true };
  }
  return { value, problems, unreadable: false };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
