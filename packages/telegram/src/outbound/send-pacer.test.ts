import { describe, expect, it } from '@jest/globals';
import { SendPacer, type PaceLimits } from './send-pacer';

const limits: PaceLimits = {
  privateChat: { messages: 1, seconds: 1 },
  group: { messages: 20, seconds: 60 },
  overall: { messages: 30, seconds: 1 },
};

/**
 * A pacer on a fake clock. Each post is answered `answerMs` after it leaves; the test records when
 * each post left.
 */
function pacedClock(answerMs = 0) {
  let now = 0;
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
  return { pacer, post, sendTimes, now: () => now };
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
