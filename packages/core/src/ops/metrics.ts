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
 * The per-event metrics of one direction, with their label values bound once: prom-client hashes the label
 * object on every `inc({ … })`, which costs more than the count itself thousands of times a second.
 */
export interface DirectionMetrics {
  readonly events: Record<Outcome, { inc(): void }>;
  readonly sendLatency: { observe(seconds: number): void };
  readonly queueDepth: { inc(): void; dec(): void };
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
  readonly journalBacklog: Gauge;
  /** Remote users currently connected (IRC virtual users, logins). */
  readonly connectedRemoteUsers: Gauge;
  readonly portals: Gauge;
  private readonly bound = new Map<Direction, DirectionMetrics>();

  constructor(network: string) {
    this.registry.setDefaultLabels({ network });
    collectDefaultMetrics({ register: this.registry, prefix: 'trestle_process_' });
    const registers = [this.registry];
    this.events = new Counter({
      name: 'trestle_events_total',
      help: 'Events bridged, by direction (to_matrix|to_remote) and outcome (sent|failed|skipped)',
      labelNames: ['direction', 'outcome'],
      registers,
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
    });
    this.journalBacklog = new Gauge({
      name: 'trestle_journal_backlog',
      help: 'Matrix events journaled and not yet handled',
      registers,
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
      const outcome = (o: Outcome) => this.events.labels({ direction, outcome: o });
      bound = {
        events: { sent: outcome('sent'), failed: outcome('failed'), skipped: outcome('skipped') },
        sendLatency: this.sendLatency.labels({ direction }),
        queueDepth: this.queueDepth.labels({ direction }),
      };
      this.bound.set(direction, bound);
    }
    return bound;
  }
}
