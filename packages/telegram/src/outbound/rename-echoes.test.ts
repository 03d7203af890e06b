import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Update } from 'telegraf/types';
import { RenameEchoes } from './rename-echoes';

const group = { id: -100123, type: 'supergroup' as const, title: 'New' };
const bot = { id: 42, is_bot: true, first_name: 'Bridge' };

const titleUpdate = (title: string, chat: object = group): Update =>
  ({ update_id: 1, message: { message_id: 9, date: 1, chat, from: bot, new_chat_title: title } }) as Update;
const channelTitleUpdate = (title: string): Update =>
  ({
    update_id: 1,
    channel_post: {
      message_id: 9,
      date: 1,
      chat: { id: -100777, type: 'channel', title },
      new_chat_title: title,
    },
  }) as Update;
const topicUpdate = (name: string): Update =>
  ({
    update_id: 1,
    message: {
      message_id: 10,
      date: 1,
      chat: group,
      from: bot,
      message_thread_id: 5,
      is_topic_message: true,
      forum_topic_edited: { name },
    },
  }) as Update;

afterEach(() => {
  jest.useRealTimers();
});

describe('RenameEchoes', () => {
  it('drops the one announcement of a rename the bridge made, by chat and name', async () => {
    const echoes = new RenameEchoes();
    await echoes.renaming('-100123', 'New', async () => true);
    expect(echoes.isEcho(titleUpdate('Other'))).toBe(false);
    expect(echoes.isEcho(titleUpdate('New', { ...group, id: -100999 }))).toBe(false);
    expect(echoes.isEcho(titleUpdate('New'))).toBe(true);
    // A later rename to the same title (by someone on Telegram) is bridged.
    expect(echoes.isEcho(titleUpdate('New'))).toBe(false);
  });

  it('drops the announcements of two quick renames of one chat', async () => {
    const echoes = new RenameEchoes();
    await echoes.renaming('-100123', 'First', async () => true);
    await echoes.renaming('-100123', 'Second', async () => true);
    expect(echoes.isEcho(titleUpdate('First'))).toBe(true);
    expect(echoes.isEcho(titleUpdate('Second'))).toBe(true);
  });

  it('recognises channel posts (which name no author) and topic renames', async () => {
    const echoes = new RenameEchoes();
    await echoes.renaming('-100777', 'News', async () => true);
    await echoes.renaming('-100123/5', 'Plans', async () => true);
    expect(echoes.isEcho(channelTitleUpdate('News'))).toBe(true);
    expect(echoes.isEcho(topicUpdate('Plans'))).toBe(true);
  });

  it('expects nothing after a refused or failed rename', async () => {
    const echoes = new RenameEchoes();
    await echoes.renaming('-100123', 'New', async () => false);
    expect(echoes.isEcho(titleUpdate('New'))).toBe(false);
    await expect(
      echoes.renaming('-100123', 'New', () => Promise.reject(new Error('network'))),
    ).rejects.toThrow('network');
    expect(echoes.isEcho(titleUpdate('New'))).toBe(false);
  });

  it('stops expecting an announcement that never came after a minute', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const echoes = new RenameEchoes();
    await echoes.renaming('-100123', 'New', async () => true);
    jest.setSystemTime(1_000_000 + 61_000);
    expect(echoes.isEcho(titleUpdate('New'))).toBe(false);
  });
});
