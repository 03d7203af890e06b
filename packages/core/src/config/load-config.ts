import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Static, TSchema } from '@sinclair/typebox';
import { bridgeConfigSchema, type BridgeConfig } from './bridge-config-schema';
import type { BridgeConfigOptions } from './bridge-options';
import { checkAgainstSchema } from './check-schema';
import { crossCheckConfig } from './cross-checks';
import { parseYaml } from './parse-yaml';
import { ConfigError, type Problem } from './problems';
import { SERVER_NAME_PATTERN } from './sections/homeserver';
import { resolveSecrets, secretTags } from './yaml-secrets';

/** How to read a config: the bridge's options plus where secrets come from. */
export interface LoadConfigOptions extends BridgeConfigOptions {
  /** Environment for `!env` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** {@link LoadConfigOptions} for config text that is not read from a file. */
export interface ParseConfigOptions extends LoadConfigOptions {
  /** Folder relative `!file` paths start from (default: the working directory). */
  baseDir?: string;
}

/**
 * Read, resolve secrets in, validate and complete a bridge config file.
 * @throws {@link ConfigError} listing every problem (file unreadable, YAML syntax, missing secrets,
 *   unknown keys, bad values, contradicting keys).
 */
export function loadConfig<N extends TSchema>(
  file: string,
  networkSchema: N,
  options: LoadConfigOptions,
): BridgeConfig<Static<N>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError([{ key: '', message: `cannot read config file ${file} (${reason})` }], file);
  }
  try {
    return parseConfig(text, networkSchema, { ...options, baseDir: dirname(file) });
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(err.problems, file);
    throw err;
  }
}

/** {@link loadConfig} for YAML text already in hand. */
export function parseConfig<N extends TSchema>(
  text: string,
  networkSchema: N,
  options: ParseConfigOptions,
): BridgeConfig<Static<N>> {
  const parsed = parseYaml(text, secretTags);
  if (parsed.unreadable) throw new ConfigError(parsed.problems);
  const secrets = resolveSecrets(parsed.value, {
    env: options.env ?? process.env,
    baseDir: options.baseDir ?? process.cwd(),
  });
  const problems = [...parsed.problems, ...secrets.problems];
  let config: BridgeConfig<Static<N>> | undefined;
  try {
    config = validateConfig(secrets.value, networkSchema, options);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // A key whose secret could not be read is reported once, not again as "missing".
    const alreadyReported = new Set(problems.map((p) => p.key));
    problems.push(...err.problems.filter((p) => !alreadyReported.has(p.key)));
  }
  if (problems.length || !config) throw new ConfigError(problems);
  return config;
}

/**
 * Validate and complete config data that is already parsed (no YAML, no secrets).
 * @throws {@link ConfigError} listing every problem.
 */
export function validateConfig<N extends TSchema>(
  data: unknown,
  networkSchema: N,
  options: BridgeConfigOptions,
): BridgeConfig<Static<N>> {
  const schema = bridgeConfigSchema(networkSchema, options);
  const checked = checkAgainstSchema<BridgeConfig<Static<N>>>(schema, withDefaultPermissions(data));
  const problems: Problem[] = checked.problems;
  if (problems.length === 0) problems.push(...crossCheckConfig(checked.value));
  if (problems.length) throw new ConfigError(problems);
  return checked.value;
}

/**
 * Without a `permissions` section only the homeserver's own users may use the bridge, at level `user`.
 * This default depends on another key, so the schema cannot express it.
 */
function withDefaultPermissions(data: unknown): unknown {
  if (data === null || typeof data !== 'object') return data;
  const config = data as { permissions?: unknown; homeserver?: { domain?: unknown } };
  if (config.permissions !== undefined) return data;
  const domain = config.homeserver?.domain;
  // An invalid domain is reported under homeserver.domain; it must not be reported again as a permission key.
  const usable = typeof domain === 'string' && new RegExp(SERVER_NAME_PATTERN).test(domain);
  return { ...config, permissions: usable ? { [domain]: 'user' } : {} };
}
