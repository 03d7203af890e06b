import { describe, expect, it } from '@jest/globals';
import { RateLimits } from './rate-limits';

const policy = { globalPerSecond: 3, webhookLimit: 2, webhookWindowMs: 2000 };

describe('simulated Discord rate limits', () => {
  it('refuses a webhook over its budget until its window resets, with a bucket per webhook', () => {
    const limits = new RateLimits({ ...policy, globalPerSecond: 50 });
    expect(limits.take({ bot: false, webhookId: 'w1' }, 0).bucket).toMatchObject({ remaining: 1 });
    expect(limits.take({ bot: false, webhookId: 'w1' }, 10).bucket).toMatchObject({ remaining: 0 });
    expect(limits.take({ bot: false, webhookId: 'w1' }, 20).refused).toEqual({
      retryAfterMs: 1980,
      global: false,
    });
    expect(limits.take({ bot: false, webhookId: 'w2' }, 20).refused).toBeUndefined();
    expect(limits.take({ bot: false, webhookId: 'w1' }, 2000).refused).toBeUndefined();
    expect(limits.refusals).toBe(1);
  });

  it('refuses bot requests over the global budget within a second', () => {
    const limits = new RateLimits(policy);
    for (let i = 0; i < 3; i++) expect(limits.take({ bot: true }, i).refused).toBeUndefined();
    expect(limits.take({ bot: true }, 5).refused).toEqual({ retryAfterMs: 995, global: true });
    expect(limits.take({ bot: true }, 1000).refused).toBeUndefined();
  });

  it('counts requests without authorization (webhook executions) against a global budget of their own', () => {
    const limits = new RateLimits({ ...policy, webhookLimit: 10 });
    for (let i = 0; i < 3; i++)
      expect(limits.take({ bot: false, webhookId: `w${i}` }, i).refused).toBeUndefined();
    expect(limits.take({ bot: false, webhookId: 'w9' }, 5).refused).toEqual({
      retryAfterMs: 995,
      global: true,
    });
    expect(limits.take({ bot: true }, 5).refused).toBeUndefined();
  });
});
