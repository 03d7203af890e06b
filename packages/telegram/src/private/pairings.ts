/**
 * Pairings of Telegram users with Matrix users: what makes a Telegram user's private chat with the
 * bot a Matrix direct room. A Matrix user asks the bridge bot for a one-time code (`pair`); the
 * Telegram user sends `/pair <code>` to the bot privately; from then on that private chat is bridged
 * to a direct room with that Matrix user. Codes and pairs live in the key/value store, so restarts
 * keep them.
 */
import { randomInt } from 'node:crypto';
import type { KeyValueStore } from '@trestle/core';

const namespace = 'telegram.pairing';
/** How long a pairing code can be redeemed. */
export const pairingCodeLifetimeMs = 10 * 60 * 1000;
/** Letters and digits nobody confuses when copying a code from one app to another. */
const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const codeLength = 8;

interface Issued {
  matrixUserId: string;
  at: number;
}

/** A Telegram user's pairing with a Matrix user. */
export interface Pairing {
  matrixUserId: string;
  at: number;
}

export class Pairings {
  /** Pairs looked up during this run, `null` for "not paired" (private messages ask on each one). */
  private readonly cache = new Map<string, Pairing | null>();

  constructor(
    private readonly kv: KeyValueStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A fresh one-time code for `matrixUserId` to hand to the Telegram user. */
  async issueCode(matrixUserId: string): Promise<string> {
    const code = Array.from({ length: codeLength }, () => codeAlphabet[randomInt(codeAlphabet.length)]).join(
      '',
    );
    await this.kv.set(namespace, `code:${code}`, { matrixUserId, at: this.now() } satisfies Issued);
    return code;
  }

  /**
   * Pair the Telegram user with whoever issued `code`, if it is valid and fresh; the code is used up.
   * Returns the pairing, and the Matrix user it replaced, if any.
   */
  async redeem(
    telegramUserId: string,
    code: string,
  ): Promise<{ pairing: Pairing; replaced?: string } | undefined> {
    const key = `code:${code.trim().toUpperCase()}`;
    const issued = await this.kv.get<Issued>(namespace, key);
    if (!issued) return undefined;
    await this.kv.delete(namespace, key);
    if (this.now() - issued.at >= pairingCodeLifetimeMs) return undefined;
    const previous = await this.pairingOf(telegramUserId);
    const pairing: Pairing = { matrixUserId: issued.matrixUserId, at: this.now() };
    await this.kv.set(namespace, `pair:${telegramUserId}`, pairing);
    this.cache.set(telegramUserId, pairing);
    return {
      pairing,
      ...(previous && previous.matrixUserId !== pairing.matrixUserId
        ? { replaced: previous.matrixUserId }
        : {}),
    };
  }

  /** The Matrix user a Telegram user is paired with, if any. */
  async pairingOf(telegramUserId: string): Promise<Pairing | undefined> {
    let pairing = this.cache.get(telegramUserId);
    if (pairing === undefined) {
      pairing = (await this.kv.get<Pairing>(namespace, `pair:${telegramUserId}`)) ?? null;
      this.cache.set(telegramUserId, pairing);
    }
    return pairing ?? undefined;
  }

  /** End a pairing; resolves with the Matrix user it was with, if there was one. */
  async remove(telegramUserId: string): Promise<string | undefined> {
    const pairing = await this.pairingOf(telegramUserId);
    if (!pairing) return undefined;
    await this.kv.delete(namespace, `pair:${telegramUserId}`);
    this.cache.set(telegramUserId, null);
    return pairing.matrixUserId;
  }
}
