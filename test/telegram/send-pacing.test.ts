/**
 * Send pacing against a simulator that enforces flood limits with 429s, as Telegram does: the
 * connector queues posts within the limits, keeps their order, drops none, and provokes no 429.
 * Small windows (one second) keep the test fast; the shapes are Telegram's (per chat, per group, overall).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { MatrixUser, RichText } from '@trestle/core';
import { TelegramConnector, type TelegramConfig } from '@trestle/telegram';
import { FakeBridgeContext, TelegramSimulator } from '@trestle/testkit';
import { portalFor, telegramConfig } from './telegram-fixtures';

const alice: MatrixUser = { userId: '@alice:example.org', displayName: 'Alice' };
const para = (text: string): RichText => ({
  blocks: [{ type: 'paragraph', children: [{ type: 'text', text }] }],
});
const limits = {
  privateChat: { messages: 1, windowMs: 250 },
  groupChat: { messages: 5, windowMs: 1000 },
  overall: { messages: 8, windowMs: 1000 },
};
const pacing: TelegramConfig['send_pacing'] = {
  enabled: true,
  private_chat: { messages: 1, seconds: 0.25 },
  group: { messages: 5, seconds: 1 },
  overall: { messages: 8, seconds: 1 },
};

let sim: TelegramSimulator;
let connector: TelegramConnector;

afterEach(async () => {
  await connector.stop();
  await sim.stop();
});

async function start(sendPacing: TelegramConfig['send_pacing']) {
  sim = await TelegramSimulator.start({ floodLimits: limits });
  const bob = sim.addUser({ first_name: 'Bob' });
  const groups = [0, 1].map(
    (i) => sim.createChat({ type: 'supergroup', title: `G${i}`, members: [bob.id], bot: 'administrator' }).id,
  );
  connector = new TelegramConnector({ pollRetryDelayMs: 20 });
  await connector.start(
    new FakeBridgeContext(telegramConfig(sim.token, sim.apiRoot, sendPacing), { ghostPrefix: 'telegram_' }),
  );
  return groups;
}

const send = (chatId: number, text: string) =>
  connector.send(portalFor(chatId), {
    kind: 'message',
    eventId: `$${text}:${chatId}`,
    sender: alice,
    content: { type: 'text', msgtype: 'text', body: para(text) },
  });
const tooManyRequests = () => sim.calls.filter((c) => c.errorCode === 429).length;
const postedTexts = (chatId: number) =>
  sim.messages(chatId).flatMap((m) => ('text' in m && m.from?.id === sim.bot.id ? [m.text] : []));

describe('send pacing before Telegram’s flood limits', () => {
  it('a burst to two groups is queued within the limits: all delivered, in order, with no 429', async () => {
    const [first, second] = await start(pacing);
    const started = Date.now();
    const bursts = [first!, second!].map(async (chat) => {
      for (let i = 0; i < 8; i += 1) await send(chat, `m${i}`);
    });
    await Promise.all(bursts);
    expect(tooManyRequests()).toBe(0);
    for (const chat of [first!, second!])
      expect(postedTexts(chat)).toEqual(Array.from({ length: 8 }, (_, i) => `Alice: m${i}`));
    // 16 posts with 8 a second overall and 5 a second per group need more than one window.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('without pacing the same burst provokes 429s from Telegram', async () => {
    const [first] = await start({ ...pacing, enabled: false });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => send(first!, `m${i}`)));
    expect(tooManyRequests()).toBeGreaterThan(0);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
  });
});
