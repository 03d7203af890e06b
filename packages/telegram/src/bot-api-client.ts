/**
 * telegraf's `Telegram` with a cheaper transport for the calls a busy bridge makes per message.
 *
 * Why: in the Telegram bench, telegraf's transport (node-fetch over `node:http`) was about a third of the
 * bridge's CPU per Matrix message. Methods whose parameters can never be files go out as JSON through the
 * core's {@link JsonHttpClient} instead, with telegraf's own semantics: a 5xx answer becomes a
 * `TelegramError` with the HTTP status, a `{ ok: false }` answer a `TelegramError` carrying Telegram's
 * `error_code`, `description` and `parameters` (so `retry_after` still reaches the retry logic). Every other
 * method (uploads, long polling) goes through telegraf unchanged.
 */
import http from 'node:http';
import { JsonHttpClient } from '@trestle/core';
import { Telegram, TelegramError } from 'telegraf';

/** Bot API methods the bridge calls per message or per event that never carry a file. */
const JSON_ONLY_METHODS: ReadonlySet<string> = new Set([
  'sendMessage',
  'editMessageText',
  'editMessageCaption',
  'deleteMessage',
  'setMessageReaction',
  'sendChatAction',
  'getChatMember',
  'getChat',
  'getFile',
  'getUserProfilePhotos',
]);

interface BotApiAnswer {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** Drops null and undefined fields, as telegraf does before it serialises a payload. */
function withoutNulls(_key: string, value: unknown): unknown {
  return value ?? undefined;
}

export class BotApiClient extends Telegram {
  private readonly json: JsonHttpClient;

  constructor(token: string, apiRoot: string) {
    super(token, { apiRoot });
    // telegraf keeps connections alive only for https; a local Bot API server is usually plain http.
    if (apiRoot.startsWith('http://')) this.options.agent = new http.Agent({ keepAlive: true });
    this.json = new JsonHttpClient(new URL(`./bot${token}/`, apiRoot).href);
    const viaTelegraf = this.callApi.bind(this);
    // Assigned rather than overridden: callApi's generic signature is typed against typegram's method map.
    this.callApi = ((method, payload, options) =>
      JSON_ONLY_METHODS.has(method) && !options?.signal
        ? this.callAsJson(method, payload)
        : viaTelegraf(method, payload, options)) as Telegram['callApi'];
  }

  private async callAsJson(method: string, payload: unknown): Promise<never> {
    const { status, json } = await this.json.postJson<BotApiAnswer>(
      `/${method}`,
      JSON.stringify(payload, withoutNulls),
    );
    if (status >= 500 || !json) {
      throw new TelegramError({ error_code: status, description: `HTTP ${status}` }, { method, payload });
    }
    if (!json.ok) {
      throw new TelegramError(
        {
          error_code: json.error_code ?? status,
          description: json.description ?? `HTTP ${status}`,
          ...(json.parameters ? { parameters: json.parameters } : {}),
        },
        { method, payload },
      );
    }
    return json.result as never;
  }

  /** Close the pooled connections (telegraf's own agent closes idle sockets by itself). */
  async closeConnections(): Promise<void> {
    await this.json.close();
  }
}
