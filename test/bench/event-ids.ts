import { createHash } from 'node:crypto';

/**
 * An event id shaped like a real one (rooms v4 and later: `$` and the base64url of a SHA-256, 43
 * characters), derived from `seed`. Benchmarks use these rather than counters because ids that sort in
 * the order they are made would let the store's event-id indexes append to one page, which real,
 * random ids never do.
 */
export function realisticEventId(seed: string): string {
  return `$${createHash('sha256').update(seed).digest('base64url')}`;
}
