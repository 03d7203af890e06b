/**
 * The Telegram side's approval of a link: a Telegram admin sends `/bridge` in the chat, and for the
 * next hour a Matrix admin may link the chat to a room (`link <chat id>`). Kept in the bridge's
 * key/value store so that a restart in between does not lose it; used up by the link it allowed.
 */
import type { KeyValueStore } from '@trestle/core';

const namespace = 'telegram.link-consent';
export const consentLifetimeMs = 60 * 60 * 1000;

interface Consent {
  /** Telegram user id of the admin who approved. */
  by: number;
  at: number;
}

export class LinkConsent {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record that a Telegram admin of `chatId` approved linking it. */
  async grant(chatId: string, by: number): Promise<void> {
    await this.kv.set(namespace, chatId, { by, at: this.now() } satisfies Consent);
  }

  /** True (and the approval used up) when a Telegram admin approved within the last hour. */
  async take(chatId: string): Promise<boolean> {
    const consent = await this.kv.get<Consent>(namespace, chatId);
    if (!consent) return false;
    await this.kv.delete(namespace, chatId);
    return this.now() - consent.at < consentLifetimeMs;
  }
}
