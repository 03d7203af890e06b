/** Who is in which channel, as far as this connection has seen (NAMES, JOIN, PART, KICK, QUIT, NICK). */
export interface ChannelState {
  /** The channel name as the server spells it. */
  name: string;
  topic?: string;
  /** Folded nick -> nick as spelled. */
  members: Map<string, string>;
}

export class ChannelRoster {
  private readonly channels = new Map<string, ChannelState>();

  /**
   * @param onlyTrack when given, only nicks it accepts are kept as members (a virtual user keeps
   *   just itself: a thousand connections in one big channel must not hold a thousand member lists).
   */
  constructor(
    private readonly fold: (s: string) => string,
    private readonly onlyTrack?: (nick: string) => boolean,
  ) {}

  get(channel: string): ChannelState | undefined {
    return this.channels.get(this.fold(channel));
  }

  ensure(channel: string): ChannelState {
    const key = this.fold(channel);
    let state = this.channels.get(key);
    if (!state) this.channels.set(key, (state = { name: channel, members: new Map() }));
    return state;
  }

  drop(channel: string): void {
    this.channels.delete(this.fold(channel));
  }

  all(): ChannelState[] {
    return [...this.channels.values()];
  }

  addMember(channel: string, nick: string): void {
    if (this.onlyTrack && !this.onlyTrack(nick)) return;
    this.ensure(channel).members.set(this.fold(nick), nick);
  }

  removeMember(channel: string, nick: string): void {
    this.get(channel)?.members.delete(this.fold(nick));
  }

  /** Channels (as spelled) that a nick is in. */
  channelsOf(nick: string): string[] {
    const key = this.fold(nick);
    return this.all()
      .filter((c) => c.members.has(key))
      .map((c) => c.name);
  }

  removeEverywhere(nick: string): string[] {
    const channels = this.channelsOf(nick);
    for (const c of channels) this.removeMember(c, nick);
    return channels;
  }

  rename(oldNick: string, newNick: string): string[] {
    const channels = this.channelsOf(oldNick);
    for (const c of channels) {
      this.removeMember(c, oldNick);
      this.addMember(c, newNick);
    }
    return channels;
  }
}
