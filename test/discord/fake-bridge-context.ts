/**
 * The core's side of a connector, in memory: records what the connector emits and lets a test
 * wait for an event. Enough to drive the Discord connector against the simulator without Matrix.
 */
import {
  createLogger,
  type BridgeContext,
  type KeyValueStore,
  type LoginRecord,
  type LoginStore,
  type Portal,
  type RemoteEvent,
} from '@trestle/core';

export class FakeBridgeContext<TConfig> implements BridgeContext<TConfig> {
  readonly emitted: RemoteEvent[] = [];
  readonly notices: Array<{ roomId: string; text: string }> = [];
  readonly log = createLogger(process.env.TRESTLE_TEST_LOG === 'debug' ? 'debug' : 'error');
  readonly domain = 'test.local';
  readonly logins: LoginStore = memoryLogins();
  private waiters: Array<{ predicate: (e: RemoteEvent) => boolean; resolve: (e: RemoteEvent) => void }> = [];

  constructor(
    readonly config: TConfig,
    /** Shared across contexts to simulate the store surviving a restart. */
    readonly kv: KeyValueStore = memoryKv(),
  ) {}

  async emit(event: RemoteEvent): Promise<void> {
    this.emitted.push(event);
    this.waiters = this.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
  }

  ghostUserId(remoteUserId: string): string {
    return `@_discord_${remoteUserId}:${this.domain}`;
  }

  isGhost(userId: string): boolean {
    return userId.startsWith('@_discord_');
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
  waitFor<K extends RemoteEvent['kind']>(
    kind: K,
    predicate: (e: Extract<RemoteEvent, { kind: K }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<RemoteEvent, { kind: K }>> {
    const matches = (e: RemoteEvent): e is Extract<RemoteEvent, { kind: K }> =>
      e.kind === kind && predicate(e as Extract<RemoteEvent, { kind: K }>);
    const found = this.emitted.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no ${kind} event within ${timeoutMs} ms; saw ${JSON.stringify(this.emitted.map((e) => e.kind))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        predicate: matches,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<RemoteEvent, { kind: K }>);
        },
      });
    });
  }
}

export function memoryKv(): KeyValueStore {
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
