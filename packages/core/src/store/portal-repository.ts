import type { Selectable } from 'kysely';
import type { Portal } from '../model/portal';
import type { PortalTable } from './database-schema';
import type { PortalStore } from './store';
import type { StoreContext } from './store-context';

/** Portals: which Matrix room is linked to which remote chat. */
export class PortalRepository implements PortalStore {
  constructor(private readonly ctx: StoreContext) {}

  byRoom(roomId: string): Promise<Portal | undefined> {
    return this.ctx.run('portals.byRoom', async () => {
      const row = await this.ctx.db
        .selectFrom('portals')
        .selectAll()
        .where('room_id', '=', roomId)
        .executeTakeFirst();
      return row && toPortal(row);
    });
  }

  byChat(chatId: string): Promise<Portal | undefined> {
    return this.ctx.run('portals.byChat', async () => {
      const row = await this.ctx.db
        .selectFrom('portals')
        .selectAll()
        .where('chat_id', '=', chatId)
        .executeTakeFirst();
      return row && toPortal(row);
    });
  }

  /** A room links one chat and a chat one room: linking a chat to a new room replaces its old portal. */
  upsert(portal: Portal): Promise<void> {
    return this.ctx.run('portals.upsert', () =>
      this.ctx.db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('portals')
          .where('chat_id', '=', portal.chatId)
          .where('room_id', '!=', portal.roomId)
          .execute();
        const row = toRow(portal);
        const { room_id: _roomId, ...changes } = row;
        await trx
          .insertInto('portals')
          .values(row)
          .onConflict((oc) => oc.column('room_id').doUpdateSet(changes))
          .execute();
      }),
    );
  }

  remove(roomId: string): Promise<void> {
    return this.ctx.run('portals.remove', async () => {
      await this.ctx.db.deleteFrom('portals').where('room_id', '=', roomId).execute();
    });
  }

  /** Every portal, oldest first. Meant for admin commands and listings, not for startup. */
  list(): Promise<Portal[]> {
    return this.ctx.run('portals.list', async () => {
      const rows = await this.ctx.db
        .selectFrom('portals')
        .selectAll()
        .orderBy('created_at')
        .orderBy('room_id')
        .execute();
      return rows.map(toPortal);
    });
  }

  count(): Promise<number> {
    return this.ctx.run('portals.count', async () => {
      const { n } = await this.ctx.db
        .selectFrom('portals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    });
  }
}

function toRow(portal: Portal): PortalTable {
  return {
    room_id: portal.roomId,
    chat_id: portal.chatId,
    kind: portal.kind,
    plumbed: portal.plumbed ? 1 : 0,
    name: portal.name ?? null,
    topic: portal.topic ?? null,
    settings: JSON.stringify(portal.settings ?? {}),
    created_at: portal.createdAt,
  };
}

function toPortal(row: Selectable<PortalTable>): Portal {
  return {
    roomId: row.room_id,
    chatId: row.chat_id,
    kind: row.kind as Portal['kind'],
    plumbed: row.plumbed === 1,
    ...(row.name !== null && { name: row.name }),
    ...(row.topic !== null && { topic: row.topic }),
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}
