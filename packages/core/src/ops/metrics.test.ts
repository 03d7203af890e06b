import { describe, expect, it } from '@jest/globals';
import { BridgeMetrics } from './metrics';

/** The value of the sample `name` carrying all of `labels` (in any order) in Prometheus text output. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (m?.[1] !== name) continue;
    const have = m[2]!.split(',');
    if (wanted.every((l) => have.includes(l))) return Number(m[3]);
  }
  return undefined;
}

describe('bridge metrics', () => {
  it("counts a direction's events, latency and queue depth under the network and direction labels", async () => {
    const metrics = new BridgeMetrics('loopback');
    const toMatrix = metrics.direction('to_matrix');
    expect(metrics.direction('to_matrix')).toBe(toMatrix);
    toMatrix.events.sent.inc();
    toMatrix.events.sent.inc();
    toMatrix.events.failed.inc();
    toMatrix.sendLatency.observe(0.02);
    toMatrix.queueDepth.inc();
    const text = await metrics.registry.metrics();
    const labels = { network: 'loopback', direction: 'to_matrix' };
    expect(sample(text, 'trestle_events_total', { ...labels, outcome: 'sent' })).toBe(2);
    expect(sample(text, 'trestle_events_total', { ...labels, outcome: 'failed' })).toBe(1);
    expect(sample(text, 'trestle_send_latency_seconds_count', labels)).toBe(1);
    expect(sample(text, 'trestle_send_latency_seconds_sum', labels)).toBe(0.02);
    expect(text).toMatch(/^# TYPE trestle_send_latency_seconds histogram$/m);
    expect(sample(text, 'trestle_send_latency_seconds_bucket', { ...labels, le: '0.01' })).toBe(0);
    expect(sample(text, 'trestle_send_latency_seconds_bucket', { ...labels, le: '0.025' })).toBe(1);
    expect(sample(text, 'trestle_send_latency_seconds_bucket', { ...labels, le: '+Inf' })).toBe(1);
    expect(sample(text, 'trestle_queue_depth', labels)).toBe(1);
    expect(text).not.toMatch(/direction="to_remote"/);
  });

  it('reports counts added between scrapes once, and the journal backlog as it stands', async () => {
    const metrics = new BridgeMetrics('loopback');
    const toRemote = metrics.direction('to_remote');
    const labels = { network: 'loopback', direction: 'to_remote' };
    toRemote.events.sent.inc();
    metrics.journalBacklog.inc();
    metrics.journalBacklog.inc();
    expect(
      sample(await metrics.registry.metrics(), 'trestle_events_total', { ...labels, outcome: 'sent' }),
    ).toBe(1);
    toRemote.events.sent.inc();
    toRemote.queueDepth.inc();
    toRemote.queueDepth.dec();
    metrics.journalBacklog.dec();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'trestle_events_total', { ...labels, outcome: 'sent' })).toBe(2);
    expect(sample(text, 'trestle_queue_depth', labels)).toBe(0);
    expect(/^trestle_journal_backlog\{[^}]*\} (\S+)$/m.exec(text)?.[1]).toBe('1');
  });
});
