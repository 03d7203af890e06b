/**
 * The core's side of the connector contract, in memory, for connector tests that run against a network
 * (a real IRC server, a simulator) without Matrix: records what the connector emits, notices and unlinks;
 * lets a test wait for an event, or make `emit` slow or failing.
 */
import {
  createLogger,
  escapeLocalpart,
  type BridgeContext,
  type KeyValueStore,
  type LoginRecord,
  type LoginStore,
  type Portal,
  type RemoteEvent,
} from '@trestle/core';

export interface FakeBridgeContextOptions {
  /** Ghost localpart prefix, as the bridge's config would set it (e.g. `irc_`). */
  ghostPrefix: string;
  /** Default `example.org`. */
  domain?: string;
  /** Key/values to start from: pass one context's `kv` to the next to simulate a restart. */
  kv?: KeyValueStore;
}

export class FakeBridgeContext<TConfig> implements BridgeContext<TConfig> {
  readonly emitted: RemoteEvent[] = [];
  readonly notices: Array<{ roomId: string; text: string }> = [];
  /** Chats the connector asked to unlink, with the reason. */
  readonly unlinked: Array<{ chatId: string; reason: string }> = [];
  readonly log = createLogger(process.env.TRESTLE_TEST_LOG === 'debug' ? 'debug' : 'error');
  readonly domain: string;
  readonly botUserId: string;
  readonly commandPrefix = '!bridge';
  readonly kv: KeyValueStore;
  readonly logins: LoginStore = memoryLogins();
  /** Called before an event is recorded; throw to fail the emit, await to slow it. */
  beforeEmit: (event: RemoteEvent) => Promise<void> | void = () => undefined;
  private waiters: Array<{ predicate: (e: RemoteEvent) => boolean; resolve: (e: RemoteEvent) => void }> = [];

  constructor(
    readonly config: TConfig,
    private readonly options: FakeBridgeContextOptions,
  ) {
    this.domain = options.domain ?? 'example.org';
    this.botUserId = `@bridgebot:${this.domain}`;
    this.kv = options.kv ?? memoryKv();
  }

  async emit(event: RemoteEvent): Promise<void> {
    await this.beforeEmit(event);
    this.emitted.push(event);
    this.waiters = this.waiters.filter((w) => (w.predicate(event) ? (w.resolve(event), false) : true));
  }

  ghostUserId(remoteUserId: string): string {
    return `@${this.options.ghostPrefix}${escapeLocalpart(remoteUserId)}:${this.domain}`;
  }

  isGhost(userId: string): boolean {
    return userId.startsWith(`@${this.options.ghostPrefix}`);
  }

  async portalForChat(): Promise<Portal | undefined> {
    return undefined;
  }

  async portalForRoom(): Promise<Portal | undefined> {
    return undefined;
  }

  async notice(roomId: string, text: string): Promise<void> {
    this.notices.push({ roomId, text });
  }

  async unlinkChat(chatId: string, reason: string): Promise<boolean> {
    this.unlinked.push({ chatId, reason });
    return true;
  }

  /** The first emitted event of `kind` (past or future) matching `predicate`. */
  waitFor<K extends RemoteEvent['kind']>(
    kind: K,
    predicate: (e: Extract<RemoteEvent, { kind: K }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<RemoteEvent, { kind: K }>> {
    type Found = Extract<RemoteEvent, { kind: K }>;
    const matches = (e: RemoteEvent): e is Found => e.kind === kind && predicate(e as Found);
    const found = this.emitted.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = this.emitted.map((e) => JSON.stringify(e)).join('\n');
        reject(new Error(`no matching ${kind} event within ${timeoutMs} ms; saw:\n${seen}`));
      }, timeoutMs);
      this.waiters.push({
        predicate: matches,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Found);
        },
      });
    });
  }
}

/** An in-memory key/value store, e.g. to share between two contexts across a simulated restart. */
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
