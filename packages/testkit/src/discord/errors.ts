import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/**
 * A REST failure in Discord's JSON shape (`{ message, code }`), thrown by route handlers and
 * turned into the HTTP response by the router.
 */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    /** Extra body fields (e.g. `retry_after` for 429). */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }

  body(): Record<string, unknown> {
    return { message: this.message, code: this.code, ...this.extra };
  }
}

export const unauthorized = () => new DiscordApiError(401, 0, '401: Unauthorized');
export const missingPermissions = () =>
  new DiscordApiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
export const missingAccess = () =>
  new DiscordApiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
export const unknownChannel = () =>
  new DiscordApiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
export const unknownMessage = () =>
  new DiscordApiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
export const unknownGuild = () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
export const unknownMember = () =>
  new DiscordApiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
export const unknownUser = () => new DiscordApiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
export const unknownWebhook = () =>
  new DiscordApiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
export const unknownEmoji = () => new DiscordApiError(400, RESTJSONErrorCodes.UnknownEmoji, 'Unknown Emoji');
export const notFound = () => new DiscordApiError(404, 0, '404: Not Found');
/** Discord takes no edits or reactions in an archived thread (and, in a locked one, no messages or deletions). */
export const threadArchived = () =>
  new DiscordApiError(400, RESTJSONErrorCodes.InvalidActionOnArchivedThread, 'Thread is archived');
export const cannotEditOthersMessage = () =>
  new DiscordApiError(
    403,
    RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
    'Cannot edit a message authored by another user',
  );
export const emptyMessage = () =>
  new DiscordApiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
export const invalidFormBody = (detail: string) =>
  new DiscordApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, `Invalid Form Body: ${detail}`);

/** A 429 in Discord's shape; `retryAfter` is in seconds, as Discord sends it. */
export const rateLimited = (retryAfter: number, global = false) =>
  new DiscordApiError(429, 0, 'You are being rate limited.', { retry_after: retryAfter, global });

/**
 * A 429 from a limit beside the route's bucket (Discord's 2 channel renames per 10 minutes): the
 * bucket headers still show room, only `Retry-After` and `retry_after` say how long to wait.
 */
export const sublimited = (retryAfter: number) =>
  new DiscordApiError(
    429,
    0,
    'You are being rate limited.',
    { retry_after: retryAfter, global: false },
    { 'Retry-After': String(Math.ceil(retryAfter)), 'X-RateLimit-Scope': 'user' },
  );
