/**
 * Lines sent and waiting for the server's echo (IRCv3 echo-message), which carries the msgid the
 * server gave them. A line whose echo does not come in time gets a local id; a line the server
 * refused (numeric for its target) fails, so the Matrix sender is told.
 *
 * Lines wait per target in the order they were sent, so an echo is matched in constant time (the
 * server echoes a target's lines in order), and one sweep timer serves every waiting line instead
 * of a timer per line.
 */
import type { OutgoingKind } from './irc-connection';

interface PendingEcho {
  type: OutgoingKind;
  text: string;
  /** When the line stops waiting and takes a local id (ms since epoch). */
  deadline: number;
  resolve: (id: string) => void;
  reject: (err: Error) => void;
}

export class EchoTracker {
  /** Lines waiting for their echo, per folded target, oldest first. */
  private readonly pending = new Map<string, PendingEcho[]>();
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly localId: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves with the msgid of the echo (or a local id when there is none in time). */
  expect(type: OutgoingKind, foldedTarget: string, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const entry: PendingEcho = { type, text, deadline: this.now() + this.timeoutMs, resolve, reject };
      const waiting = this.pending.get(foldedTarget);
      if (waiting) waiting.push(entry);
      else this.pending.set(foldedTarget, [entry]);
      this.sweepTimer ??= setTimeout(() => this.sweep(), this.timeoutMs).unref();
    });
  }

  /** Our own line came back; the oldest matching pending line takes its msgid. */
  echoed(type: OutgoingKind, foldedTarget: string, text: string, msgid: string | undefined): void {
    const waiting = this.pending.get(foldedTarget);
    if (!waiting) return;
    const head = waiting[0]!;
    // The server echoes a target's lines in order: the match is the first line but for lines lost on the way.
    const at =
      head.type === type && head.text === text
        ? 0
        : waiting.findIndex((p) => p.type === type && p.text === text);
    if (at < 0) return;
    const [entry] = at === 0 ? [waiting.shift()!] : waiting.splice(at, 1);
    if (waiting.length === 0) this.pending.delete(foldedTarget);
    entry!.resolve(msgid ?? this.localId());
  }

  /** The server refused lines to a target: every line still waiting for it fails. */
  refuse(foldedTarget: string, err: Error): void {
    const waiting = this.pending.get(foldedTarget);
    this.pending.delete(foldedTarget);
    for (const entry of waiting ?? []) entry.reject(err);
  }

  /** Lines whose echo is overdue take a local id; the timer runs again while lines still wait. */
  private sweep(): void {
    this.sweepTimer = undefined;
    const now = this.now();
    let nextDeadline = Infinity;
    for (const [target, waiting] of this.pending) {
      let expired = 0;
      while (expired < waiting.length && waiting[expired]!.deadline <= now) expired++;
      for (const entry of waiting.splice(0, expired)) entry.resolve(this.localId());
      if (waiting.length === 0) this.pending.delete(target);
      else nextDeadline = Math.min(nextDeadline, waiting[0]!.deadline);
    }
    if (nextDeadline !== Infinity)
      this.sweepTimer = setTimeout(() => this.sweep(), Math.max(1, nextDeadline - now)).unref();
  }
}
