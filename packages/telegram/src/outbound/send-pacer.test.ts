import { describe, expect, it } from '@jest/globals';
import { SendPacer, type PaceLimits, type PacerWindows } from './send-pacer';

const limits: PaceLimits = {
  privateChat: { messages: 1, seconds: 1 },
  group: { messages: 20, seconds: 60 },
  overall: { messages: 30, seconds: 1 },
};

/**
 * A pacer on a fake clock. Each post is answered `answerMs` after it leaves; the test records when
 * each post left.
 */
function pacedClock(answerMs = 0, start = 0) {
  let now = start;
  const pacer = new SendPacer(
    limits,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  const post = () => {
    const left = now;
    now += answerMs;
    return Promise.resolve(left);
  };
  const sendTimes = async (chatId: string, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) times.push(await pacer.run(chatId, post));
    return times;
  };
  const advance = (ms: number) => {
    now += ms;
  };
  return { pacer, post, sendTimes, advance, now: () => now };
}

describe('send pacing before Telegram’s flood limits', () => {
  it('a group gets 20 posts at once, then one slot frees up as each leaves the minute', async () => {
    const { sendTimes } = pacedClock();
    const times = await sendTimes('-100123', 22);
    expect(times.slice(0, 20).every((t) => t === 0)).toBe(true);
    expect(times.slice(20)).toEqual([60_000, 60_000]);
  });

  it('a private chat gets one post per second', async () => {
    const { sendTimes } = pacedClock();
    expect(await sendTimes('42', 3)).toEqual([0, 1000, 2000]);
  });

  it('a slow answer pushes the next post back: the window counts from when Telegram answered', async () => {
    const { sendTimes } = pacedClock(300);
    // Each post is answered 300 ms after it left, so the next may leave one second after that.
    expect(await sendTimes('42', 3)).toEqual([0, 1300, 2600]);
  });

  it('posts to many chats share 30 a second overall', async () => {
    const { pacer, post, now } = pacedClock();
    const chats = Array.from({ length: 31 }, (_, i) => `-100${i}`);
    for (const chat of chats.slice(0, 30)) await pacer.run(chat, post);
    expect(now()).toBe(0);
    expect(await pacer.run(chats[30]!, post)).toBe(1000);
  });

  it('a failed post still counts: Telegram saw it', async () => {
    const { pacer, post } = pacedClock();
    await expect(pacer.run('42', () => Promise.reject(new Error('400: Bad Request')))).rejects.toThrow('400');
    expect(await pacer.run('42', post)).toBe(1000);
  });
});

describe('send pacing across a restart', () => {
  it('a group that had its 20 posts just before the restart gets no more until they leave the minute', async () => {
    const before = pacedClock();
    await before.sendTimes('-100123', 20);
    const saved = JSON.parse(JSON.stringify(before.pacer.windows())) as PacerWindows;
    // The next process starts 5 s later.
    const after = pacedClock(0, 5000);
    after.pacer.restore(saved);
    expect(await after.sendTimes('-100123', 2)).toEqual([60_000, 60_000]);
    // Another group and the overall window are not held up by it.
    expect(await after.sendTimes('-100456', 1)).toEqual([60_000]);
  });

  it('half a window sent before the restart leaves the other half', async () => {
    const before = pacedClock();
    await before.sendTimes('-100123', 10);
    const after = pacedClock(0, 1000);
    after.pacer.restore(before.pacer.windows());
    const times = await after.sendTimes('-100123', 11);
    expect(times.slice(0, 10).every((t) => t === 1000)).toBe(true);
    expect(times[10]).toBe(60_000);
  });

  it('saves only the posts that still count: no chat or overall post whose window has passed', async () => {
    const { pacer, sendTimes, post, advance } = pacedClock();
    await pacer.run('42', post);
    await sendTimes('-100123', 20);
    advance(30_000);
    const saved = pacer.windows();
    expect(saved).toEqual({ savedAt: 30_000, chats: { '-100123': Array(20).fill(30_000) }, overall: [] });
  });

  it('posts saved by a clock that was ahead count as answered now, not in the future', async () => {
    const before = pacedClock(0, 100_000);
    await before.sendTimes('42', 1);
    const after = pacedClock(0, 50_000);
    after.pacer.restore(before.pacer.windows());
    expect(await after.sendTimes('42', 1)).toEqual([51_000]);
  });

  it('windows saved under other limits are read under the current ones', async () => {
    const before = pacedClock();
    await before.sendTimes('-100123', 20);
    // Now 5 posts per 10 s: the posts at 0 s stop counting at 10 s, not at 60 s.
    let now = 5000;
    const after = new SendPacer(
      { ...limits, group: { messages: 5, seconds: 10 } },
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    after.restore(before.pacer.windows());
    expect(await after.run('-100123', () => Promise.resolve(now))).toBe(10_000);
  });
});
