/** Escape text so it matches itself literally inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Regex of the ghost user ids a bridge owns: `@<prefix>…:<domain>`. */
export function ghostUserRegex(userPrefix: string, domain: string): string {
  return `^@${escapeRegExp(userPrefix)}.*:${escapeRegExp(domain)}$`;
}

/** Regex of the bridge bot's own user id. */
export function botUserRegex(botUsername: string, domain: string): string {
  return `^@${escapeRegExp(botUsername)}:${escapeRegExp(domain)}$`;
}

/** Regex of the portal room aliases a bridge owns: `#<prefix>…:<domain>`. */
export function portalAliasRegex(aliasPrefix: string, domain: string): string {
  return `^#${escapeRegExp(aliasPrefix)}.*:${escapeRegExp(domain)}$`;
}
