/**
 * The Prometheus metrics every bridge exposes on `/metrics`. Names are prefixed `trestle_` and labelled
 * with the network, so one Grafana dashboard serves all bridges.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';

/** Which way an event goes: the `direction` label. */
export type Direction = 'to_matrix' | 'to_remote';

/** How handling an event ended: the `outcome` label. */
export type Outcome = 'sent' | 'failed' | 'skipped';

/**
 * The per-event metrics of one direction. Counts and depths are plain numbers that prom-client reads when
 * scraped (its `collect` hook): even with label values bound, each prom-client `inc()` validates and looks up
 * its series, which thousands of times a second cost more than the counting itself.
 */
export interface DirectionMetrics {
  readonly events: Record<Outcome, { inc(): void }>;
  readonly sendLatency: { observe(seconds: number): void };
  readonly queueDepth: { inc(): void; dec(): void };
}

/** A number counted in place; a metric's `collect` hook reports it at scrape time. */
class Tally {
  value = 0;
  /** What a counter has already been given of `value`. */
  reported = 0;
  inc(): void {
    this.value++;
  }
  dec(): void {
    this.value--;
  }
}

/** Upper bounds (seconds) of the latency histogram's buckets. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One direction's latencies, counted in place: per bucket (not cumulative), their sum and count. */
class LatencyTally {
  readonly counts = new Float64Array(LATENCY_BUCKETS.length + 1); // the last: above every bound
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.sum += seconds;
    this.count++;
  }
}

/**
 * `trestle_send_latency_seconds` as a Prometheus histogram that the registry reads at scrape time
 * (through `get()`, as it reads its own metrics). Why not prom-client's `Histogram`: each `observe()`
 * hashes its label set again, once per bridged event, which cost 2 % of a bridge's CPU.
 */
class LatencyHistogram {
  readonly name = 'trestle_send_latency_seconds';
  readonly help = 'Seconds from receiving an event to the other side accepting it';
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly tallies: ReadonlyMap<Direction, { sendLatency: LatencyTally }>) {}

  get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const [direction, { sendLatency }] of this.tallies) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((le, i) => {
        cumulative += sendLatency.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, direction }, value: cumulative });
      });
      const all = { metricName: `${this.name}_bucket`, labels: { le: '+Inf', direction } };
      values.push({ ...all, value: sendLatency.count });
      values.push({ metricName: `${this.name}_sum`, labels: { direction }, value: sendLatency.sum });
      values.push({ metricName: `${this.name}_count`, labels: { direction }, value: sendLatency.count });
    }
    const { name, help, type, aggregator } = this;
    return Promise.resolve({ name, help, type, aggregator, values });
  }

  /** Nothing to reset: the counts live with the bridge's delivery pipelines. */
  reset(): void {}
}

interface DirectionTallies {
  events: Record<Outcome, Tally>;
  queueDepth: Tally;
  sendLatency: LatencyTally;
}

export class BridgeMetrics {
  readonly registry = new Registry();
  /** Events handed to Matrix or to the network, by direction and outcome. */
  readonly events: Counter<'direction' | 'outcome'>;
  /** Jobs queued or running in the per-portal queues. */
  readonly queueDepth: Gauge<'direction'>;
  /** Matrix events journaled but not yet handled. */
  readonly journalBacklog: { inc(): void; dec(): void } = new Tally();
  /** Remote users currently connected (IRC virtual users, logins). */
  readonly connectedRemoteUsers: Gauge;
  readonly portals: Gauge;
  private readonly tallies = new Map<Direction, DirectionTallies>();

  constructor(network: string) {
    this.registry.setDefaultLabels({ network });
    collectDefaultMetrics({ register: this.registry, prefix: 'trestle_process_' });
    const registers = [this.registry];
    const tallies = this.tallies;
    this.events = new Counter({
      name: 'trestle_events_total',
      help: 'Events bridged, by direction (to_matrix|to_remote) and outcome (sent|failed|skipped)',
      labelNames: ['direction', 'outcome'],
      registers,
      collect() {
        for (const [direction, { events }] of tallies) {
          for (const [outcome, tally] of Object.entries(events) as Array<[Outcome, Tally]>) {
            if (tally.value > tally.reported) this.inc({ direction, outcome }, tally.value - tally.reported);
            tally.reported = tally.value;
          }
        }
      },
    });
    // The registry reads any object with prom-client's metric shape; its types list only its own classes.
    this.registry.registerMetric(new LatencyHistogram(tallies) as unknown as Metric);
    this.queueDepth = new Gauge({
      name: 'trestle_queue_depth',
      help: 'Events queued or in flight in the per-portal queues',
      labelNames: ['direction'],
      registers,
      collect() {
        for (const [direction, { queueDepth }] of tallies) this.set({ direction }, queueDepth.value);
      },
    });
    const backlog = this.journalBacklog as Tally;
    new Gauge({
      name: 'trestle_journal_backlog',
      help: 'Matrix events journaled and not yet handled',
      registers,
      collect() {
        this.set(backlog.value);
      },
    });
    this.connectedRemoteUsers = new Gauge({
      name: 'trestle_connected_remote_users',
      help: 'Remote connections held for Matrix users',
      registers,
    });
    this.portals = new Gauge({ name: 'trestle_portals', help: 'Bridged rooms', registers });
  }

  /** The per-event metrics of `direction`, made once. */
  direction(direction: Direction): DirectionMetrics {
    let tallies = this.tallies.get(direction);
    if (!tallies) {
      tallies = {
        events: { sent: new Tally(), failed: new Tally(), skipped: new Tally() },
        queueDepth: new Tally(),
        sendLatency: new LatencyTally(),
      };
      this.tallies.set(direction, tallies);
    }
    return tallies;
  }
}
