import { describe, expect, it } from '@jest/globals';
import { SendPacer, type PaceLimits } from './send-pacer';

const limits: PaceLimits = {
  privateChat: { messages: 1, seconds: 1 },
  group: { messages: 20, seconds: 60 },
  overall: { messages: 30, seconds: 1 },
};

/** A pacer on a fake clock that records when each post would go out. */
function pacedClock() {
  let now = 0;
  const pacer = new SendPacer(
    limits,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  const sendTimes = async (chatId: string, count: number) => {
    const times: number[] = [];
    for (let i = 0; i < count; i += 1) {
      await pacer.wait(chatId);
      times.push(now);
    }
    return times;
  };
  return { pacer, sendTimes };
}

describe('send pacing before Telegram’s flood limits', () => {
  it('a group gets 20 posts at once, then one slot frees up as each leaves the minute (plus a margin)', async () => {
    const { sendTimes } = pacedClock();
    const times = await sendTimes('-100123', 22);
    expect(times.slice(0, 20).every((t) => t === 0)).toBe(true);
    expect(times.slice(20)).toEqual([61_000, 61_000]);
  });

  it('a private chat gets one post per second', async () => {
    const { sendTimes } = pacedClock();
    expect(await sendTimes('42', 3)).toEqual([0, 1050, 2100]);
  });

  it('posts to many chats share 30 a second overall', async () => {
    let now = 0;
    const overall = new SendPacer(
      limits,
      () => now,
      async (ms) => void (now += ms),
    );
    const chats = Array.from({ length: 31 }, (_, i) => `-100${i}`);
    for (const chat of chats.slice(0, 30)) await overall.wait(chat);
    expect(now).toBe(0);
    await overall.wait(chats[30]!);
    expect(now).toBe(1050);
  });
});
