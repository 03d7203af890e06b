/**
 * Bot API error answers, shaped exactly as Telegram sends them:
 * `{ ok: false, error_code, description, parameters?: { retry_after?, migrate_to_chat_id? } }`.
 */
import type { ResponseParameters } from 'telegraf/types';

/** A Bot API method failure; the HTTP status equals `code`, as on api.telegram.org. */
export class TelegramApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${code}: ${description}`);
    this.name = 'TelegramApiError';
  }

  /** The JSON body Telegram answers with. */
  toBody(): { ok: false; error_code: number; description: string; parameters?: ResponseParameters } {
    return {
      ok: false,
      error_code: this.code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** The canned errors the simulator answers, with Telegram's own wording. */
export const apiErrors = {
  badRequest: (detail: string) => new TelegramApiError(400, `Bad Request: ${detail}`),
  chatNotFound: () => new TelegramApiError(400, 'Bad Request: chat not found'),
  messageNotFound: (what = 'message to edit not found') => new TelegramApiError(400, `Bad Request: ${what}`),
  unauthorized: () => new TelegramApiError(401, 'Unauthorized'),
  kicked: (chatKind: 'group' | 'supergroup' | 'channel') =>
    new TelegramApiError(403, `Forbidden: bot was kicked from the ${chatKind} chat`),
  notMember: () => new TelegramApiError(403, 'Forbidden: bot is not a member of the supergroup chat'),
  notFound: () => new TelegramApiError(404, 'Not Found'),
  pollConflict: () =>
    new TelegramApiError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  tooManyRequests: (retryAfter: number) =>
    new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  migrated: (newChatId: number) =>
    new TelegramApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: newChatId,
    }),
};
