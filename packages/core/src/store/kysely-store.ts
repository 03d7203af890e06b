import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';
import { GhostRepository } from './ghost-repository';
import { JournalRepository } from './journal-repository';
import { KeyValueRepository } from './key-value-repository';
import { LoginRepository } from './login-repository';
import { MessageRepository } from './message-repository';
import { PortalRepository } from './portal-repository';
import type { Store } from './store';
import { StoreContext } from './store-context';
import type { StoreEngine } from './store-options';
import type { RunNow } from './sqlite-session';

/** What an engine adds beside its Kysely database (SQLite: group commit, direct statements, a worker). */
export interface StoreEngineHooks {
  /** Commit any writes the engine is still grouping. */
  makeDurable?: () => void;
  runNow?: RunNow;
  /** Resolves when the engine's helpers are shut down, after the database is destroyed. */
  released?: () => Promise<void>;
}

/** The Store on a migrated Kysely database; the same code serves SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  readonly portals: PortalRepository;
  readonly ghosts: GhostRepository;
  readonly messages: MessageRepository;
  readonly journal: JournalRepository;
  readonly logins: LoginRepository;
  readonly kv: KeyValueRepository;
  private closing: Promise<void> | undefined;

  private readonly released: () => Promise<void>;

  constructor(
    private readonly db: Kysely<StoreDatabase>,
    readonly engine: StoreEngine,
    engineHooks: StoreEngineHooks = {},
  ) {
    const ctx = new StoreContext(db, engine, engineHooks.makeDurable, engineHooks.runNow);
    this.released = engineHooks.released ?? (() => Promise.resolve());
    this.portals = new PortalRepository(ctx);
    this.ghosts = new GhostRepository(ctx);
    this.messages = new MessageRepository(ctx);
    this.journal = new JournalRepository(ctx);
    this.logins = new LoginRepository(ctx);
    this.kv = new KeyValueRepository(ctx);
  }

  /** Close the database (or drain the connection pool). Calling it again waits for the first close. */
  close(): Promise<void> {
    this.closing ??= this.db.destroy().then(this.released);
    return this.closing;
  }
}
