import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConnectGate, ConnectGateClosedError, reconnectDelay } from './connect-gate';

describe('connect gate', () => {
  beforeEach(() => void jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void jest.useRealTimers());

  it('lets no more than the configured connections per second through', async () => {
    const gate = new ConnectGate({ perSecond: 10, jitterMs: 0 });
    let released = 0;
    for (let i = 0; i < 30; i++) void gate.wait(0).then(() => released++);
    await jest.advanceTimersByTimeAsync(1000);
    expect(released).toBeGreaterThanOrEqual(10);
    expect(released).toBeLessThanOrEqual(11);
    await jest.advanceTimersByTimeAsync(2000);
    expect(released).toBe(30);
  });

  it('connects the most recently active users first', async () => {
    const gate = new ConnectGate({ perSecond: 1, jitterMs: 0 });
    const order: string[] = [];
    const first = gate.wait(0);
    await jest.advanceTimersByTimeAsync(0);
    await first; // the others now wait for the next slot
    for (const [name, lastActive] of [
      ['old', 10],
      ['newest', 30],
      ['middle', 20],
    ] as const) {
      void gate.wait(lastActive).then(() => order.push(name));
    }
    await jest.advanceTimersByTimeAsync(5000);
    expect(order).toEqual(['newest', 'middle', 'old']);
  });

  it('delays each connection by its jitter without lowering the rate', async () => {
    const gate = new ConnectGate({ perSecond: 10, jitterMs: 200, random: () => 0.5 });
    let released = 0;
    for (let i = 0; i < 30; i++) void gate.wait(0).then(() => released++);
    await jest.advanceTimersByTimeAsync(99);
    expect(released).toBe(0);
    await jest.advanceTimersByTimeAsync(1001);
    expect(released).toBeGreaterThanOrEqual(10);
    expect(released).toBeLessThanOrEqual(11);
    await jest.advanceTimersByTimeAsync(2000);
    expect(released).toBe(30);
  });

  it('keeps up with hundreds of connections per second', async () => {
    const gate = new ConnectGate({ perSecond: 1000, jitterMs: 0 });
    let released = 0;
    for (let i = 0; i < 1000; i++) void gate.wait(0).then(() => released++);
    await jest.advanceTimersByTimeAsync(1000);
    expect(released).toBeGreaterThanOrEqual(990);
  });

  it('refuses waiters once closed', async () => {
    const gate = new ConnectGate({ perSecond: 1, jitterMs: 0 });
    const first = gate.wait(0).catch((err: Error) => err);
    const second = gate.wait(0);
    gate.close();
    await expect(second).rejects.toBeInstanceOf(ConnectGateClosedError);
    expect(await first).toBeInstanceOf(ConnectGateClosedError);
  });
});

describe('reconnect backoff', () => {
  it('doubles per attempt up to the cap, the same for everyone (the gate orders and jitters)', () => {
    expect(reconnectDelay(0, 1000, 60_000)).toBe(1000);
    expect(reconnectDelay(3, 1000, 60_000)).toBe(8000);
    expect(reconnectDelay(10, 1000, 60_000)).toBe(60_000);
  });
});
