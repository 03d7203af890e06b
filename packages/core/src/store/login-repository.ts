import type { LoginRecord, LoginStore } from './store';
import type { StoreContext } from './store-context';

/** Logins: a Matrix user's identity (and connector-owned state) on the remote network. */
export class LoginRepository implements LoginStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {}

  get(userId: string): Promise<LoginRecord | undefined> {
    return this.ctx.run('logins.get', async () => {
      const row = await this.ctx.db
        .selectFrom('logins')
        .select(['user_id', 'remote_id', 'data'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return (
        row && {
          userId: row.user_id,
          remoteId: row.remote_id,
          data: JSON.parse(row.data) as Record<string, unknown>,
        }
      );
    });
  }

  put(login: LoginRecord): Promise<void> {
    return this.ctx.run('logins.put', async () => {
      const changes = { remote_id: login.remoteId, data: JSON.stringify(login.data), updated_at: this.now() };
      await this.ctx.db
        .insertInto('logins')
        .values({ user_id: login.userId, ...changes })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(changes))
        .execute();
    });
  }

  remove(userId: string): Promise<void> {
    return this.ctx.run('logins.remove', async () => {
      await this.ctx.db.deleteFrom('logins').where('user_id', '=', userId).execute();
    });
  }
}
