/**
 * The core's side of a connector, in memory: records emitted events and lets a test wait for one.
 * Enough to drive a connector against a real IRC server without Matrix.
 */
import {
  createLogger,
  type BridgeContext,
  type KeyValueStore,
  type LoginStore,
  type LoginRecord,
  type Portal,
  type RemoteEvent,
} from '@trestle/core';

export class FakeBridgeContext<TConfig> implements BridgeContext<TConfig> {
  readonly emitted: RemoteEvent[] = [];
  readonly notices: Array<{ roomId: string; text: string }> = [];
  readonly log = createLogger(process.env.TRESTLE_TEST_LOG === 'debug' ? 'debug' : 'error');
  readonly domain = 'test.local';
  readonly kv: KeyValueStore = memoryKv();
  readonly logins: LoginStore = memoryLogins();
  private waiters: Array<{ predicate: (e: RemoteEvent) => boolean; resolve: (e: RemoteEvent) => void }> = [];

  constructor(readonly config: TConfig) {}

  async emit(event: RemoteEvent): Promise<void> {
    this.emitted.push(event);
    this.waiters = this.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
  }

  ghostUserId(remoteUserId: string): string {
    return `@irc_${remoteUserId.replace(/[^a-z0-9._=-]/gi, (c) => `=${c.charCodeAt(0).toString(16)}`)}:${this.domain}`;
  }

  isGhost(userId: string): boolean {
    return userId.startsWith('@irc_');
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

  /** The first emitted event (past or future) matching `predicate`. */
  waitFor<E extends RemoteEvent = RemoteEvent>(
    predicate: (e: RemoteEvent) => boolean,
    timeoutMs = 5000,
  ): Promise<E> {
    const found = this.emitted.find(predicate);
    if (found) return Promise.resolve(found as E);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching event within ${timeoutMs} ms; saw:\n${this.emitted.map((e) => JSON.stringify(e)).join('\n')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as E);
        },
      });
    });
  }
}

function memoryKv(): KeyValueStore {
  const data = new Map<string, unknown>();
  return {
    get: async <T>(ns: string, key: string) => data.get(`${ns}\0${key}`) as T | undefined,
    set: async (ns, key, value) => void data.set(`${ns}\0${key}`, value),
    delete: async (ns, key) => void data.delete(`${ns}\0${key}`),
  };
}

function memoryLogins(): LoginStore {
  const data = new Map<string, LoginRecord>();
  return {
    get: async (userId) => data.get(userId),
    put: async (login) => void data.set(login.userId, login),
    remove: async (userId) => void data.delete(userId),
  };
}
