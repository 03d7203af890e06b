import type { KeyValueStore } from './store';
import type { StoreContext } from './store-context';

/** Namespaced key/values holding JSON (connector cursors, small settings). */
export class KeyValueRepository implements KeyValueStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {}

  get<T = unknown>(namespace: string, key: string): Promise<T | undefined> {
    return this.ctx.run('kv.get', async () => {
      const row = await this.ctx.db
        .selectFrom('kv')
        .select('value')
        .where('namespace', '=', namespace)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && (JSON.parse(row.value) as T);
    });
  }

  /** Store a JSON-serialisable value; setting `undefined` deletes the key (JSON has no undefined). */
  set(namespace: string, key: string, value: unknown): Promise<void> {
    if (value === undefined) return this.delete(namespace, key);
    return this.ctx.run('kv.set', async () => {
      const changes = { value: JSON.stringify(value), updated_at: this.now() };
      await this.ctx.db
        .insertInto('kv')
        .values({ namespace, key, ...changes })
        .onConflict((oc) => oc.columns(['namespace', 'key']).doUpdateSet(changes))
        .execute();
    });
  }

  delete(namespace: string, key: string): Promise<void> {
    return this.ctx.run('kv.delete', async () => {
      await this.ctx.db.deleteFrom('kv').where('namespace', '=', namespace).where('key', '=', key).execute();
    });
  }
}
