import { describe, expect, it } from '@jest/globals';
import { EventWaitTimeoutError, RoomEventLog } from './room-event-log';

interface Fake {
  room_id: string;
  body: string;
}
const newLog = () => new RoomEventLog<Fake>((event) => event.body);

describe('RoomEventLog', () => {
  it('finds an event that arrived before the wait started', async () => {
    const log = newLog();
    log.append([{ room_id: '!a', body: 'early' }]);
    await expect(log.waitFor('!a', (e) => e.body === 'early', 50)).resolves.toEqual({
      room_id: '!a',
      body: 'early',
    });
  });

  it('resolves a wait when a matching event arrives later, ignoring other rooms', async () => {
    const log = newLog();
    const waiting = log.waitFor('!a', (e) => e.body === 'hello', 1_000);
    log.append([{ room_id: '!b', body: 'hello' }]);
    log.append([
      { room_id: '!a', body: 'other' },
      { room_id: '!a', body: 'hello' },
    ]);
    await expect(waiting).resolves.toEqual({ room_id: '!a', body: 'hello' });
  });

  it('waits across all rooms when no room is given', async () => {
    const log = newLog();
    const waiting = log.waitFor(undefined, (e) => e.body === 'invite', 1_000);
    log.append([{ room_id: '!c', body: 'invite' }]);
    await expect(waiting).resolves.toMatchObject({ room_id: '!c' });
  });

  it('keeps each room in arrival order', () => {
    const log = newLog();
    log.append([
      { room_id: '!a', body: '1' },
      { room_id: '!b', body: 'x' },
      { room_id: '!a', body: '2' },
    ]);
    expect(log.list('!a').map((e) => e.body)).toEqual(['1', '2']);
    expect(log.list('!nowhere')).toEqual([]);
  });

  it('times out naming the events it did see', async () => {
    const log = newLog();
    log.append([{ room_id: '!a', body: 'not it' }]);
    const error = await log.waitFor('!a', (e) => e.body === 'it', 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventWaitTimeoutError);
    expect((error as Error).message).toContain('not it');
  });

  it('rejects pending waits when closed', async () => {
    const log = newLog();
    const waiting = log.waitFor('!a', () => true, 1_000);
    log.close(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });
});
