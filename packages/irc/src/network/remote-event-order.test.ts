import { describe, expect, it } from '@jest/globals';
import { RemoteEventOrder } from './remote-event-order';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('RemoteEventOrder', () => {
  it('hands events of different channels over without waiting for earlier ones to be delivered', async () => {
    const order = new RemoteEventOrder(() => undefined);
    const started: string[] = [];
    const slow = deferred();
    order.now(() => (started.push('#a'), slow.promise));
    order.now(async () => void started.push('#b'));
    await tick();
    expect(started).toEqual(['#a', '#b']);
    slow.resolve();
    await order.idle();
  });

  it('a barrier runs after everything before it, and later events wait for it, in order', async () => {
    const order = new RemoteEventOrder(() => undefined);
    const log: string[] = [];
    const first = deferred();
    order.now(() => first.promise.then(() => void log.push('message before')));
    order.afterAll(async () => void log.push('nick change'));
    order.now(async () => void log.push('message after 1'));
    order.now(async () => void log.push('message after 2'));
    await tick();
    expect(log).toEqual([]);
    first.resolve();
    await order.idle();
    expect(log).toEqual(['message before', 'nick change', 'message after 1', 'message after 2']);
  });

  it('a failing delivery is reported and does not stop later ones', async () => {
    const errors: Error[] = [];
    const order = new RemoteEventOrder((err) => errors.push(err));
    const log: string[] = [];
    order.now(() => Promise.reject(new Error('core said no')));
    order.afterAll(async () => void log.push('after'));
    await order.idle();
    expect(errors.map((e) => e.message)).toEqual(['core said no']);
    expect(log).toEqual(['after']);
  });
});
