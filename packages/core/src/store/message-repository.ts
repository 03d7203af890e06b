import type { Selectable } from 'kysely';
import type { MessageMapTable } from './database-schema';
import type { MessageMapping, MessageStore } from './store';
import type { StoreContext } from './store-context';

/**
 * The message map: Matrix event id <-> remote message id (and part). A reaction row's `remoteId` is the
 * message reacted to and its `reactionKey` the emoji; reaction rows are not parts of that message.
 */
export class MessageRepository implements MessageStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Record mappings; an event id already mapped keeps its first mapping (replays are harmless). */
  add(mappings: MessageMapping[]): Promise<void> {
    if (mappings.length === 0) return Promise.resolve();
    return this.ctx.run('messages.add', async () => {
      await this.ctx.insertAtomically(mappings.map(toRow), (db, rows) =>
        db
          .insertInto('message_map')
          .values(rows)
          .onConflict((oc) => oc.column('event_id').doNothing())
          .execute(),
      );
    });
  }

  byEvent(eventId: string): Promise<MessageMapping | undefined> {
    return this.ctx.run('messages.byEvent', async () => {
      const row = await this.ctx.db
        .selectFrom('message_map')
        .selectAll()
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      return row && toMapping(row);
    });
  }

  /** The Matrix events a remote message became, by part; reactions to it are not included. */
  byRemote(chatId: string, remoteId: string): Promise<MessageMapping[]> {
    return this.ctx.run('messages.byRemote', async () => {
      const rows = await this.ctx.db
        .selectFrom('message_map')
        .selectAll()
        .where('chat_id', '=', chatId)
        .where('remote_id', '=', remoteId)
        .where('reaction_key', 'is', null)
        .orderBy('part')
        .execute();
      return rows.map(toMapping);
    });
  }

  reaction(
    chatId: string,
    targetRemoteId: string,
    sender: string,
    key: string,
  ): Promise<MessageMapping | undefined> {
    return this.ctx.run('messages.reaction', async () => {
      const row = await this.ctx.db
        .selectFrom('message_map')
        .selectAll()
        .where('chat_id', '=', chatId)
        .where('remote_id', '=', targetRemoteId)
        .where('sender', '=', sender)
        .where('reaction_key', '=', key)
        .executeTakeFirst();
      return row && toMapping(row);
    });
  }

  removeEvent(eventId: string): Promise<void> {
    return this.ctx.run('messages.removeEvent', async () => {
      await this.ctx.db.deleteFrom('message_map').where('event_id', '=', eventId).execute();
    });
  }
}

function toRow(m: MessageMapping): MessageMapTable {
  return {
    event_id: m.eventId,
    room_id: m.roomId,
    chat_id: m.chatId,
    remote_id: m.remoteId,
    part: m.part,
    sender: m.sender,
    reaction_key: m.reactionKey ?? null,
    created_at: m.createdAt,
  };
}

function toMapping(row: Selectable<MessageMapTable>): MessageMapping {
  return {
    roomId: row.room_id,
    eventId: row.event_id,
    chatId: row.chat_id,
    remoteId: row.remote_id,
    part: row.part,
    sender: row.sender,
    ...(row.reaction_key !== null && { reactionKey: row.reaction_key }),
    createdAt: row.created_at,
  };
}
