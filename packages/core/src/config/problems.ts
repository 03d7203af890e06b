/** One thing wrong with a config or registration file, tied to the key it concerns. */
export interface Problem {
  /** Dotted key path such as `appservice.port` or `permissions["@alice:example.org"]`; empty for the whole file. */
  key: string;
  /** What was expected, and what was found. */
  message: string;
}

/** Render problems one per line, `key: message` (or just the message when it concerns the whole file). */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => (p.key ? `${p.key}: ${p.message}` : p.message)).join('\n');
}

/**
 * A bridge config that cannot be used. Holds every problem found, so an admin fixes them all in one go;
 * `message` is one line per problem.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    /** The file the problems were found in, when loaded from disk. */
    readonly file?: string,
  ) {
    super(formatProblems(problems));
    this.name = 'ConfigError';
  }
}

const plainKey = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Join path segments into the dotted form admins read: `a.b[0]["odd.key"]`.
 * Numbers index lists; keys that are not plain identifiers (domains, user ids, `*`) are quoted.
 */
export function formatKeyPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (plainKey.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
