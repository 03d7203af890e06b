import type Database from 'better-sqlite3';

const WRITE = /^\s*(insert|update|delete|replace)\b/i;
const BEGIN = /^\s*begin\b/i;
/** How long a group of writes stays open: long enough to gather a burst, short next to any network hop. */
const GROUP_WINDOW_MS = 2;

/**
 * Makes better-sqlite3 cheap under a bridge's load, beneath Kysely:
 * - prepared statements are kept (Kysely prepares every query anew; that was ~16% of a bridge's CPU);
 * - group commit: writes outside an explicit transaction join one transaction that commits within
 *   {@link GROUP_WINDOW_MS}. One commit per window instead of one per row cuts WAL traffic and checkpoints
 *   several-fold. Writes that must be durable before the caller answers anyone (the journal, before a
 *   transaction is acknowledged) call {@link commit} first. What a crash can lose is the bookkeeping of
 *   the last window (message-map rows, "done" marks), which replays resolve through idempotency.
 */
export class SqliteSession {
  readonly database: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private groupOpen = false;

  constructor(private readonly raw: Database.Database) {
    this.database = new Proxy(raw, {
      get: (target, prop) => {
        if (prop === 'prepare') return (sql: string) => this.prepare(sql);
        if (prop === 'close') return () => (this.commit(), target.close());
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Commit the open group of writes now. */
  commit(): void {
    if (!this.groupOpen) return;
    this.groupOpen = false;
    if (this.raw.inTransaction) this.raw.exec('COMMIT');
  }

  private prepare(sql: string): Database.Statement {
    if (BEGIN.test(sql)) this.commit(); // Kysely's own transaction must not nest inside the group
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      if (this.statements.size < 500) this.statements.set(sql, statement);
    }
    if (WRITE.test(sql) && !this.raw.inTransaction) this.openGroup();
    return statement;
  }

  private openGroup(): void {
    this.raw.exec('BEGIN');
    this.groupOpen = true;
    setTimeout(() => this.commit(), GROUP_WINDOW_MS);
  }
}
