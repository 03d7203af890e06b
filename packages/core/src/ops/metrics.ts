/**
 * The Prometheus metrics every bridge exposes on `/metrics`. Names are prefixed `trestle_` and labelled
 * with the network, so one Grafana dashboard serves all bridges.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

interface DirectionTallies {
  events: Record<Outcome, Tally>;
  queueDepth: Tally;
}

export class BridgeMetrics {
  readonly registry = new Registry();
  /** Events handed to Matrix or to the network, by direction and outcome. */
  readonly events: Counter<'direction' | 'outcome'>;
  /** Time from receiving an event to the other side accepting it. */
  readonly sendLatency: Histogram<'direction'>;
  /** Jobs queued or running in the per-portal queues. */
  readonly queueDepth: Gauge<'direction'>;
  /** Matrix events journaled but not yet handled. */
  readonly journalBacklog: { inc(): void; dec(): void } = new Tally();
  /** Remote users currently connected (IRC virtual users, logins). */
  readonly connectedRemoteUsers: Gauge;
  readonly portals: Gauge;
  private readonly bound = new Map<Direction, DirectionMetrics>();
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
    this.sendLatency = new Histogram({
      name: 'trestle_send_latency_seconds',
      help: 'Seconds from receiving an event to the other side accepting it',
      labelNames: ['direction'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
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

  /** The per-event metrics of `direction`, bound once. */
  direction(direction: Direction): DirectionMetrics {
    let bound = this.bound.get(direction);
    if (!bound) {
      const tallies: DirectionTallies = {
        events: { sent: new Tally(), failed: new Tally(), skipped: new Tally() },
        queueDepth: new Tally(),
      };
      this.tallies.set(direction, tallies);
      bound = { ...tallies, sendLatency: this.sendLatency.labels({ direction }) };
      this.bound.set(direction, bound);
    }
    return bound;
  }
}
