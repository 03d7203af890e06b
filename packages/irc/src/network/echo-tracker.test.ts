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

describe('echo tracker under load', () => {
  it('matches thousands of lines to several targets in order, each with its own msgid', async () => {
    const echoes = new EchoTracker(60_000, local);
    const targets = ['#a', '#b', '#c'];
    const ids = Array.from({ length: 3000 }, (_, i) =>
      echoes.expect('privmsg', targets[i % 3]!, `line ${i}`),
    );
    for (let i = 0; i < 3000; i++) echoes.echoed('privmsg', targets[i % 3]!, `line ${i}`, `id-${i}`);
    expect(await Promise.all(ids)).toEqual(Array.from({ length: 3000 }, (_, i) => `id-${i}`));
  });

  it('a line whose echo was lost times out without holding up the next line', async () => {
    let now = 0;
    const echoes = new EchoTracker(20, local, () => now);
    const lost = echoes.expect('privmsg', '#c', 'lost');
    const next = echoes.expect('privmsg', '#c', 'arrives');
    echoes.echoed('privmsg', '#c', 'arrives', 'id-2');
    expect(await next).toBe('id-2');
    now = 25;
    expect(await lost).toBe('local-x');
  });
});
