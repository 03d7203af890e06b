import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('writes one JSON line per event with context fields, and skips lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l)).child({ network: 'irc' });
    log.debug('hidden');
    log.warn('send failed', { portal: '!a:b', err: new Error('boom') });
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]!);
    expect(rec).toMatchObject({ level: 'warn', msg: 'send failed', network: 'irc', portal: '!a:b' });
    expect(rec.err.message).toBe('boom');
  });
});
