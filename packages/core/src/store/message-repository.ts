import type { Selectable } from 'kysely';
import type { MessageMapTable } from './database-schema';
import type { MessageMapping, MessageStore } from './store';
import type { StoreContext } from './store-context';

/**
 * The message map: Matrix event id <-> remote message id (and part). A reaction row's `remoteId` is the
 * message reacted to and its `reactionKey` the emoji; reaction rows are not parts of that message.
 */
export class MessageRepository implements MessageStore {
  private readonly insertOne;
  private readonly selectByEvent;
  private readonly selectByRemote;

  constructor(private readonly ctx: StoreContext) {
    // The per-message paths run thousands of times a second: compiled once (see StoreContext.prepared).
    this.insertOne = ctx.preparedEither<unknown, MessageMapTable>((db, p) =>
      db
        .insertInto('message_map')
        .values({
          event_id: p('event_id'),
          room_id: p('room_id'),
          chat_id: p('chat_id'),
          remote_id: p('remote_id'),
          part: p('part'),
          sender: p('sender'),
          reaction_key: p('reaction_key'),
          created_at: p('created_at'),
        })
        .onConflict((oc) => oc.columns(['event_id', 'part']).doNothing()),
    );
    this.selectByEvent = ctx.prepared<Selectable<MessageMapTable>, { eventId: string }>((db, p) =>
      db.selectFrom('message_map').selectAll().where('event_id', '=', p('eventId')).orderBy('part'),
    );
    this.selectByRemote = ctx.prepared<Selectable<MessageMapTable>, { chatId: string; remoteId: string }>(
      (db, p) =>
        db
          .selectFrom('message_map')
          .selectAll()
          .where('chat_id', '=', p('chatId'))
          .where('remote_id', '=', p('remoteId'))
          .where('reaction_key', 'is', null)
          .orderBy('part'),
    );
  }

  /** Record mappings; a mapping already recorded (same event id and part) is kept (replays are harmless). */
  add(mappings: MessageMapping[]): Promise<void> {
    if (mappings.length === 0) return Promise.resolve();
    if (mappings.length === 1) return this.ctx.write('messages.add', this.insertOne, toRow(mappings[0]!));
    return this.ctx.run('messages.add', async () => {
      await this.ctx.insertAtomically(mappings.map(toRow), (db, rows) =>
        db
          .insertInto('message_map')
          .values(rows)
          .onConflict((oc) => oc.columns(['event_id', 'part']).doNothing())
          .execute(),
      );
    });
  }

  /** The first (or only) remote part a Matrix event maps to. */
  byEvent(eventId: string): Promise<MessageMapping | undefined> {
    return this.ctx.run('messages.byEvent', async () => {
      const [row] = await this.selectByEvent({ eventId });
      return row && toMapping(row);
    });
  }

  /** Every remote part a Matrix event maps to, by part. */
  partsOfEvent(eventId: string): Promise<MessageMapping[]> {
    return this.ctx.run('messages.partsOfEvent', async () =>
      (await this.selectByEvent({ eventId })).map(toMapping),
    );
  }

  /** The Matrix events a remote message became, by part; reactions to it are not included. */
  byRemote(chatId: string, remoteId: string): Promise<MessageMapping[]> {
    return this.ctx.run('messages.byRemote', async () =>
      (await this.selectByRemote({ chatId, remoteId })).map(toMapping),
    );
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

  /** Forget a Matrix event (all its parts). */
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
