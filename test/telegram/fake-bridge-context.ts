/**
 * A tiny in-memory stand-in for the core's side of the contract: records emitted events and lets
 * a test make `emit` slow or failing.
 */
import type { BridgeContext, KeyValueStore, LoginStore, Portal, RemoteEvent } from '@trestle/core';
import { createLogger } from '@trestle/core';
import type { TelegramConfig } from '@trestle/telegram';

export class FakeBridgeContext implements BridgeContext<TelegramConfig> {
  readonly emitted: RemoteEvent[] = [];
  readonly notices: Array<{ roomId: string; text: string }> = [];
  readonly log = createLogger('error');
  readonly domain = 'example.org';
  /** Called before an event is recorded; throw to fail the emit, await to slow it. */
  beforeEmit: (event: RemoteEvent) => Promise<void> | void = () => undefined;

  private readonly values = new Map<string, unknown>();
  readonly kv: KeyValueStore = {
    get: async <T>(ns: string, key: string) => this.values.get(`${ns}/${key}`) as T | undefined,
    set: async (ns, key, value) => void this.values.set(`${ns}/${key}`, value),
    delete: async (ns, key) => void this.values.delete(`${ns}/${key}`),
  };
  readonly logins: LoginStore = {
    get: async () => undefined,
    put: async () => undefined,
    remove: async () => undefined,
  };

  constructor(readonly config: TelegramConfig) {}

  async emit(event: RemoteEvent): Promise<void> {
    await this.beforeEmit(event);
    this.emitted.push(event);
  }

  ghostUserId(remoteUserId: string): string {
    return `@telegram_${remoteUserId}:${this.domain}`;
  }

  isGhost(userId: string): boolean {
    return userId.startsWith('@telegram_');
  }

  async portalForChat(): Promise<Portal | undefined> {
    return undefined;
  }

  async notice(roomId: string, text: string): Promise<void> {
    this.notices.push({ roomId, text });
  }

  /** Chats the connector asked to unlink, with the reason. */
  readonly unlinked: Array<{ chatId: string; reason: string }> = [];

  async unlinkChat(chatId: string, reason: string): Promise<boolean> {
    this.unlinked.push({ chatId, reason });
    return true;
  }
}

export function telegramConfig(token: string, apiRoot: string): TelegramConfig {
  return {
    bot_token: token,
    api_root: apiRoot,
    relay: { name_format: '<b>$NAME</b>: ', emote_format: '* $NAME ' },
    link_approval: 'none',
    allowed_chats: [],
    poll_timeout_seconds: 1,
  };
}

export function portalFor(chatId: number): Portal {
  return {
    roomId: '!room:example.org',
    chatId: String(chatId),
    kind: 'group',
    plumbed: false,
    settings: {},
    createdAt: 0,
  };
}
