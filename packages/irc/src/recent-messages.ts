/**
 * The last few hundred messages per network, by msgid, so a Matrix reply or reaction can quote
 * what it refers to (IRC has no replies of its own to point at).
 */
export interface RecentMessage {
  nick: string;
  /** Plain text, formatting stripped. */
  text: string;
}

export class RecentMessages {
  private readonly entries = new Map<string, RecentMessage>();

  constructor(private readonly capacity = 500) {}

  remember(id: string, message: RecentMessage): void {
    this.entries.delete(id);
    this.entries.set(id, message);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  get(id: string): RecentMessage | undefined {
    return this.entries.get(id);
  }
}
