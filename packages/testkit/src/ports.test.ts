import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { findFreePort } from './ports';

describe('findFreePort', () => {
  it('returns a loopback port that a server can then listen on', async () => {
    const port = await findFreePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('returns different ports for back-to-back calls while the first is in use', async () => {
    const first = await findFreePort();
    const server = createServer().listen(first, '127.0.0.1');
    try {
      expect(await findFreePort()).not.toBe(first);
    } finally {
      server.close();
    }
  });

  it('hands out ports below the range outgoing connections take their source ports from', async () => {
    const ports = await Promise.all(Array.from({ length: 5 }, () => findFreePort()));
    for (const port of ports) expect(port).toBeLessThan(32_768);
  });
});
