import type { BridgeConfig } from '../config/bridge-config-schema';
import type { Problem } from '../config/problems';
import type { Registration, RegistrationNamespace } from './registration';
import { RegistrationError } from './registration-error';

/**
 * Everything on which a registration and a bridge config disagree, so the bridge can refuse to start with a
 * clear message instead of failing later (homeserver pushing to the wrong URL, ghosts it may not create …).
 * Keys are registration keys; messages name the config key they were compared with.
 */
export function checkRegistrationMatchesConfig(registration: Registration, config: BridgeConfig): Problem[] {
  const { appservice, homeserver } = config;
  const problems: Problem[] = [];
  const compare = (key: keyof Registration, actual: unknown, configKey: string, expected: unknown) => {
    if (actual !== expected) {
      problems.push({
        key,
        message: `is ${JSON.stringify(actual)} but ${configKey} in the config is ${JSON.stringify(expected)}`,
      });
    }
  };
  compare('id', registration.id, 'appservice.id', appservice.id);
  compare('url', registration.url, 'appservice.url', appservice.url);
  compare(
    'sender_localpart',
    registration.sender_localpart,
    'appservice.bot_username',
    appservice.bot_username,
  );

  const ghost = `@${appservice.user_prefix}example:${homeserver.domain}`;
  if (!coveredExclusively(registration.namespaces.users, ghost)) {
    problems.push({
      key: 'namespaces.users',
      message: `no exclusive namespace covers ghosts like ${ghost} (appservice.user_prefix "${appservice.user_prefix}", homeserver.domain "${homeserver.domain}")`,
    });
  }
  const alias = `#${appservice.alias_prefix}example:${homeserver.domain}`;
  if (!coveredExclusively(registration.namespaces.aliases, alias)) {
    problems.push({
      key: 'namespaces.aliases',
      message: `no exclusive namespace covers portal aliases like ${alias} (appservice.alias_prefix "${appservice.alias_prefix}", homeserver.domain "${homeserver.domain}")`,
    });
  }
  return problems;
}

/**
 * {@link checkRegistrationMatchesConfig}, throwing when they disagree.
 * @throws {@link RegistrationError} listing every disagreement.
 */
export function assertRegistrationMatchesConfig(
  registration: Registration,
  config: BridgeConfig,
  file?: string,
) {
  const problems = checkRegistrationMatchesConfig(registration, config);
  if (problems.length) throw new RegistrationError(problems, file);
}

function coveredExclusively(namespaces: RegistrationNamespace[] | undefined, id: string): boolean {
  return (namespaces ?? []).some((ns) => ns.exclusive && safeRegExp(ns.regex)?.test(id));
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}
