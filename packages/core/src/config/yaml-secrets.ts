import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { ScalarTag } from 'yaml';
import { formatKeyPath, type Problem } from './problems';

/** A `!env NAME` or `!file /path` value, waiting to be resolved once its key path is known. */
export class SecretReference {
  constructor(
    readonly source: 'env' | 'file',
    readonly name: string,
  ) {}
}

/**
 * YAML tags that keep secrets out of the config file: `!env NAME` reads an environment variable,
 * `!file /path` reads a file (relative paths are relative to the config file's folder).
 */
export const secretTags: ScalarTag[] = [
  {
    tag: '!env',
    identify: (value) => value instanceof SecretReference && value.source === 'env',
    resolve: (value) => new SecretReference('env', value.trim()),
  },
  {
    tag: '!file',
    identify: (value) => value instanceof SecretReference && value.source === 'file',
    resolve: (value) => new SecretReference('file', value.trim()),
  },
];

/** Where secrets come from; tests pass their own. */
export interface SecretSources {
  env: NodeJS.ProcessEnv;
  /** Folder that relative `!file` paths start from. */
  baseDir: string;
}

/**
 * Replace every {@link SecretReference} in a parsed YAML tree by its value. A missing variable or unreadable
 * file becomes a problem naming the key, and the key is left out of the result.
 */
export function resolveSecrets(
  tree: unknown,
  sources: SecretSources,
): { value: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
  const visit = (node: unknown, path: (string | number)[]): unknown => {
    if (node instanceof SecretReference) {
      const resolved = readSecret(node, sources);
      if ('error' in resolved) problems.push({ key: formatKeyPath(path), message: resolved.error });
      return resolved.value;
    }
    if (Array.isArray(node)) return node.map((item, i) => visit(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const value = visit(child, [...path, key]);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    return node;
  };
  return { value: visit(tree, []), problems };
}

function readSecret(
  ref: SecretReference,
  sources: SecretSources,
): { value: string } | { value: undefined; error: string } {
  if (!ref.name)
    return {
      value: undefined,
      error: `!${ref.source} needs a ${ref.source === 'env' ? 'variable name' : 'path'}`,
    };
  if (ref.source === 'env') {
    const value = sources.env[ref.name];
    return value === undefined
      ? { value: undefined, error: `environment variable ${ref.name} is not set` }
      : { value };
  }
  const path = resolvePath(sources.baseDir, ref.name);
  try {
    // Secret files usually end with a newline that is not part of the secret.
    return { value: readFileSync(path, 'utf8').replace(/[\r\n]+$/, '') };
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return { value: undefined, error: `cannot read secret file ${path} (${reason})` };
  }
}
