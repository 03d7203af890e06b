import type { PermissionLevel } from './command';

/** What `help` shows about one command. */
export interface HelpEntry {
  name: string;
  usage: string;
  summary: string;
  level: PermissionLevel;
}

/** The command list: one line per command, usage as the user would type it in this room, sorted by name. */
export function renderHelp(botName: string, entries: readonly HelpEntry[], prefix: string): string {
  const heading = prefix
    ? `${botName} commands (start each with "${prefix.trim()}"):`
    : `${botName} commands:`;
  const lines = [...entries]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => `${prefix}${entry.usage} — ${entry.summary}`);
  return [heading, ...lines].join('\n');
}

/** Help for one command; `allowed` false adds which level it needs. */
export function renderCommandHelp(entry: HelpEntry, prefix: string, allowed: boolean): string {
  const lines = [`Usage: ${prefix}${entry.usage}`, entry.summary];
  if (!allowed) lines.push(`Needs the ${entry.level} permission level.`);
  return lines.join('\n');
}
