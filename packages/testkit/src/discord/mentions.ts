/**
 * Which users/roles a new message pings, as Discord computes it: mentions found in the content,
 * filtered by the sender's `allowed_mentions`, plus the replied-to author when allowed.
 */
import { AllowedMentionsTypes, type APIAllowedMentions } from 'discord-api-types/v10';

export interface ComputedMentions {
  users: string[];
  roles: string[];
  everyone: boolean;
}

/** Mentions written in message content (`<@id>`, `<@!id>`, `<@&id>`, `@everyone`, `@here`). */
export function parseContentMentions(content: string): ComputedMentions {
  const users = new Set<string>();
  const roles = new Set<string>();
  for (const match of content.matchAll(/<@(!|&)?(\d{1,20})>/g)) {
    (match[1] === '&' ? roles : users).add(match[2]!);
  }
  // Discord only treats the exact words as mass mentions; a zero-width joiner in between defuses them.
  const everyone = /@(everyone|here)\b/.test(content);
  return { users: [...users], roles: [...roles], everyone };
}

/**
 * Apply `allowed_mentions`. Without it, everything in the content pings (Discord's default for
 * bots and webhooks). `repliedUserId` is the author of the message replied to, if any.
 */
export function computeMentions(
  content: string,
  allowed: APIAllowedMentions | undefined,
  repliedUserId: string | undefined,
): ComputedMentions {
  const parsed = parseContentMentions(content);
  if (!allowed) {
    const users =
      repliedUserId && !parsed.users.includes(repliedUserId)
        ? [...parsed.users, repliedUserId]
        : parsed.users;
    return { ...parsed, users };
  }
  const parse = new Set(allowed.parse ?? []);
  const users = parsed.users.filter(
    (id) => parse.has(AllowedMentionsTypes.User) || (allowed.users ?? []).includes(id),
  );
  const roles = parsed.roles.filter(
    (id) => parse.has(AllowedMentionsTypes.Role) || (allowed.roles ?? []).includes(id),
  );
  if (repliedUserId && allowed.replied_user && !users.includes(repliedUserId)) users.push(repliedUserId);
  return { users, roles, everyone: parsed.everyone && parse.has(AllowedMentionsTypes.Everyone) };
}
