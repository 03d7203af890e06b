/**
 * Channel-member prefix modes (`+o`, `+v` …) as the bot sees them: from the NAMES prefixes when it
 * joins and from MODE changes after. The bot's own modes say whether it may KICK, ban or give ops.
 */
import type { Client } from 'irc-framework';

/** A member's prefix modes changed (`modes` is the full set now). */
export type ModesChanged = (channel: string, nick: string, modes: ReadonlySet<string>) => void;

interface PrefixEntry {
  symbol: string;
  mode: string;
}

export class MemberModes {
  /** Folded channel -> folded nick -> modes. */
  private readonly channels = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly client: Client,
    private readonly onChange: ModesChanged = () => undefined,
  ) {
    this.listen();
  }

  /** The prefix modes of the server (ISUPPORT PREFIX), highest first. */
  get prefixModes(): string[] {
    const prefix = this.client.network.options.PREFIX as PrefixEntry[] | undefined;
    return Array.isArray(prefix) ? prefix.map((p) => p.mode) : ['o', 'v'];
  }

  modesOf(channel: string, nick: string): ReadonlySet<string> {
    return this.channels.get(this.fold(channel))?.get(this.fold(nick)) ?? new Set();
  }

  /** True when `nick` may KICK and set modes in `channel` (operator or above, or half-op). */
  canModerate(channel: string, nick: string): boolean {
    const modes = this.modesOf(channel, nick);
    return ['q', 'a', 'o', 'h'].some((m) => modes.has(m));
  }

  /** Members with at least one prefix mode: folded nick -> modes. */
  privileged(channel: string): Map<string, ReadonlySet<string>> {
    return new Map(this.channels.get(this.fold(channel)) ?? []);
  }

  private fold(s: string): string {
    return this.client.caseLower(s);
  }

  private set(channel: string, nick: string, modes: Set<string>, notify: boolean): void {
    const key = this.fold(channel);
    let members = this.channels.get(key);
    if (!members) this.channels.set(key, (members = new Map()));
    if (modes.size) members.set(this.fold(nick), modes);
    else members.delete(this.fold(nick));
    if (notify) this.onChange(channel, nick, modes);
  }

  private listen(): void {
    const c = this.client;
    c.on('userlist', (e: { channel: string; users: Array<{ nick: string; modes?: string[] }> }) => {
      this.channels.delete(this.fold(e.channel));
      for (const u of e.users) if (u.modes?.length) this.set(e.channel, u.nick, new Set(u.modes), false);
    });
    c.on('mode', (e: { target: string; modes: Array<{ mode: string; param?: string }> }) => {
      const prefixModes = this.prefixModes;
      for (const { mode, param } of e.modes) {
        const letter = mode.slice(1);
        if (!param || !prefixModes.includes(letter)) continue;
        const modes = new Set(this.modesOf(e.target, param));
        if (mode.startsWith('+')) modes.add(letter);
        else modes.delete(letter);
        this.set(e.target, param, modes, true);
      }
    });
    c.on('nick', (e: { nick: string; new_nick: string }) => {
      for (const members of this.channels.values()) {
        const modes = members.get(this.fold(e.nick));
        if (!modes) continue;
        members.delete(this.fold(e.nick));
        members.set(this.fold(e.new_nick), modes);
      }
    });
    c.on('part', (e: { nick: string; channel: string }) => this.forget(e.channel, e.nick));
    c.on('kick', (e: { kicked: string; channel: string }) => this.forget(e.channel, e.kicked));
    c.on('quit', (e: { nick: string }) => {
      for (const members of this.channels.values()) members.delete(this.fold(e.nick));
    });
  }

  private forget(channel: string, nick: string): void {
    if (this.fold(nick) === this.fold(this.client.user.nick)) this.channels.delete(this.fold(channel));
    else this.channels.get(this.fold(channel))?.delete(this.fold(nick));
  }
}
