/**
 * Netsplit-aware QUITs. When two IRC servers lose their link, everyone behind the other server seems
 * to QUIT with the two server names as reason (`irc.a.net irc.b.net`, or `*.net *.split` where server
 * names are hidden), and most JOIN again seconds or minutes later. Bridging that literally fills the
 * Matrix room with leaves and joins. Like matrix-appservice-irc's netsplit handling, such QUITs are
 * held for a grace period: a user who rejoins a channel in time never leaves its Matrix room; the
 * others leave when it ends, with one summary line per channel instead of a leave event's worth of
 * noise each.
 */
import type { IrcInbound } from '../network/inbound';

type Quit = Extract<IrcInbound, { kind: 'quit' }>;

/** Two host-like words: what servers put in the QUIT of users lost in a split (users' own QUITs say "Quit: …"). */
const NETSPLIT_REASON = /^[\w*-]+(\.[\w*-]+)+ [\w*-]+(\.[\w*-]+)+$/;

export function isNetsplitQuit(reason: string): boolean {
  return NETSPLIT_REASON.test(reason.trim());
}

interface Split {
  reason: string;
  /** Folded nick -> the held QUIT, with the channels not yet rejoined. */
  quits: Map<string, { quit: Quit; channels: Set<string> }>;
  timer: NodeJS.Timeout;
}

export interface NetsplitOutcome {
  /** Bridge this QUIT now, for the channels the user did not come back to. */
  release(quit: Quit): void;
  /** One line for a channel: who left because of the split. */
  summarise(channel: string, nicks: string[], reason: string): void;
}

export class NetsplitQuits {
  private readonly splits = new Map<string, Split>();

  constructor(
    private readonly graceMs: number,
    private readonly fold: (s: string) => string,
    private readonly outcome: NetsplitOutcome,
  ) {}

  /** True when the event is held (a split QUIT) or absorbed (the JOIN of a user back from one). */
  handle(event: IrcInbound): boolean {
    if (this.graceMs <= 0) return false;
    if (event.kind === 'quit' && isNetsplitQuit(event.reason)) {
      this.hold(event);
      return true;
    }
    if (event.kind === 'join') return this.returned(event.nick, event.channel);
    return false;
  }

  /** Release everything held now (bridge stopping). */
  flush(): void {
    for (const split of [...this.splits.values()]) this.end(split);
  }

  private hold(quit: Quit): void {
    const reason = quit.reason.trim();
    let split = this.splits.get(reason);
    if (!split) {
      const created: Split = {
        reason,
        quits: new Map(),
        timer: setTimeout(() => this.end(created), this.graceMs),
      };
      created.timer.unref();
      this.splits.set(reason, (split = created));
    }
    split.quits.set(this.fold(quit.nick), { quit, channels: new Set(quit.channels) });
  }

  private returned(nick: string, channel: string): boolean {
    const folded = this.fold(nick);
    for (const split of this.splits.values()) {
      const held = split.quits.get(folded);
      if (!held) continue;
      const match = [...held.channels].find((c) => this.fold(c) === this.fold(channel));
      if (match === undefined) return false;
      held.channels.delete(match);
      if (held.channels.size === 0) split.quits.delete(folded);
      return true;
    }
    return false;
  }

  private end(split: Split): void {
    clearTimeout(split.timer);
    this.splits.delete(split.reason);
    const byChannel = new Map<string, string[]>();
    for (const { quit, channels } of split.quits.values()) {
      if (channels.size === 0) continue;
      this.outcome.release({ ...quit, channels: [...channels] });
      for (const channel of channels) byChannel.set(channel, [...(byChannel.get(channel) ?? []), quit.nick]);
    }
    for (const [channel, nicks] of byChannel) this.outcome.summarise(channel, nicks, split.reason);
  }
}
