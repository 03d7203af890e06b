import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { openStore, type Logger, type Store } from '@trestle/core';
import { SavedPacing } from './saved-pacing';
import { SendPacer, type PacerWindows } from './send-pacer';

const limits = {
  privateChat: { messages: 1, seconds: 1 },
  group: { messages: 2, seconds: 60 },
  overall: { messages: 30, seconds: 1 },
};
const log = { warn: jest.fn() } as unknown as Logger;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const savedWindows = (store: Store, botId = 1) =>
  store.kv.get<PacerWindows>('telegram.send-pacing', `windows:${botId}`);

describe('the send pacer’s windows across restarts', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ engine: 'sqlite', path: ':memory:' });
  });
  afterEach(() => store.close());

  it('are saved at shutdown and counted by the next process of the same bot', async () => {
    const pacer = new SendPacer(limits);
    const saved = new SavedPacing(pacer, store.kv, 1, log);
    await saved.start();
    await pacer.run('-100123', () => Promise.resolve());
    await pacer.run('-100123', () => Promise.resolve());
    await saved.stop();
    expect((await savedWindows(store))?.chats['-100123']).toHaveLength(2);

    // The next process, on a clock that a wait moves on.
    let now = Date.now();
    const waits: number[] = [];
    const next = new SendPacer(
      limits,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    const nextSaved = new SavedPacing(next, store.kv, 1, log);
    await nextSaved.start();
    // The group's two posts of the minute are taken: a third waits for the first to leave the minute.
    await next.run('-100123', () => Promise.resolve());
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThan(59_000);
    await nextSaved.stop();
    // Another bot has its own flood limits.
    const otherBot = new SendPacer(
      limits,
      () => now,
      async (ms) => {
        waits.push(ms);
      },
    );
    const otherSaved = new SavedPacing(otherBot, store.kv, 2, log);
    await otherSaved.start();
    waits.length = 0;
    await otherBot.run('-100123', () => Promise.resolve());
    expect(waits).toEqual([]);
    await otherSaved.stop();
  });

  it('are saved while posts are sent (a crash loses little), and not again while nothing is sent', async () => {
    const pacer = new SendPacer(limits);
    const saved = new SavedPacing(pacer, store.kv, 1, log, 10);
    await saved.start();
    await pacer.run('-100123', () => Promise.resolve());
    await sleep(50);
    const first = await savedWindows(store);
    expect(first?.chats['-100123']).toHaveLength(1);
    await sleep(50);
    expect((await savedWindows(store))?.savedAt).toBe(first?.savedAt);
    await saved.stop();
  });
});
