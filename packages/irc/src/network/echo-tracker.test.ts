import { describe, expect, it } from '@jest/globals';
import { EchoTracker } from './echo-tracker';

const local = () => 'local-x';

describe('echo tracker', () => {
  it('gives each sent line the msgid of its echo, oldest matching line first', async () => {
    const echoes = new EchoTracker(1000, local);
    const first = echoes.expect('privmsg', '#c', 'same text');
    const second = echoes.expect('privmsg', '#c', 'same text');
    echoes.echoed('privmsg', '#c', 'same text', 'id-1');
    echoes.echoed('privmsg', '#c', 'same text', 'id-2');
    expect(await Promise.all([first, second])).toEqual(['id-1', 'id-2']);
  });

  it('falls back to a local id when no echo comes in time', async () => {
    const echoes = new EchoTracker(10, local);
    expect(await echoes.expect('notice', 'bob', 'hi')).toBe('local-x');
  });

  it('fails the lines waiting for a target the server refused, and only those', async () => {
    const echoes = new EchoTracker(1000, local);
    const refused = echoes.expect('privmsg', '#moderated', 'hello');
    const other = echoes.expect('privmsg', '#open', 'hello');
    echoes.refuse('#moderated', new Error('cannot send to channel'));
    await expect(refused).rejects.toThrow('cannot send to channel');
    echoes.echoed('privmsg', '#open', 'hello', 'id-3');
    expect(await other).toBe('id-3');
  });
});
