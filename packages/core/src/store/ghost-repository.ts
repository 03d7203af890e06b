import type { Selectable } from 'kysely';
import type { GhostTable } from './database-schema';
import type { GhostRecord, GhostStore } from './store';
import type { StoreContext } from './store-context';

/** Ghosts: remote users' Matrix puppets and the profile last written to Matrix. */
export class GhostRepository implements GhostStore {
  constructor(private readonly ctx: StoreContext) {}

  get(remoteId: string): Promise<GhostRecord | undefined> {
    return this.ctx.run('ghosts.get', async () => {
      const row = await this.ctx.db
        .selectFrom('ghosts')
        .selectAll()
        .where('remote_id', '=', remoteId)
        .executeTakeFirst();
      return row && toGhost(row);
    });
  }

  byUserId(userId: string): Promise<GhostRecord | undefined> {
    return this.ctx.run('ghosts.byUserId', async () => {
      const row = await this.ctx.db
        .selectFrom('ghosts')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toGhost(row);
    });
  }

  upsert(ghost: GhostRecord): Promise<void> {
    return this.ctx.run('ghosts.upsert', async () => {
      const row = toRow(ghost);
      const { remote_id: _remoteId, ...changes } = row;
      await this.ctx.db
        .insertInto('ghosts')
        .values(row)
        .onConflict((oc) => oc.column('remote_id').doUpdateSet(changes))
        .execute();
    });
  }

  count(): Promise<number> {
    return this.ctx.run('ghosts.count', async () => {
      const { n } = await this.ctx.db
        .selectFrom('ghosts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }
}

function toRow(ghost: GhostRecord): GhostTable {
  return {
    remote_id: ghost.remoteId,
    user_id: ghost.userId,
    display_name: ghost.displayName ?? null,
    avatar_key: ghost.avatarKey ?? null,
    avatar_mxc: ghost.avatarMxc ?? null,
    updated_at: ghost.updatedAt,
  };
}

function toGhost(row: Selectable<GhostTable>): GhostRecord {
  return {
    remoteId: row.remote_id,
    userId: row.user_id,
    ...(row.display_name !== null && { displayName: row.display_name }),
    ...(row.avatar_key !== null && { avatarKey: row.avatar_key }),
    ...(row.avatar_mxc !== null && { avatarMxc: row.avatar_mxc }),
    updatedAt: row.updated_at,
  };
}
