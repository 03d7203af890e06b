/**
 * Lines sent and waiting for the server's echo (IRCv3 echo-message), which carries the msgid the
 * server gave them. A line whose echo does not come in time gets a local id; a line the server
 * refused (numeric for its target) fails, so the Matrix sender is told.
 */
import type { OutgoingKind } from './irc-connection';

interface PendingEcho {
  type: OutgoingKind;
  /** Folded target. */
  target: string;
  text: string;
  resolve: (id: string) => void;
  reject: (err: Error) => void;
}

export class EchoTracker {
  private readonly pending: PendingEcho[] = [];

  constructor(
    private readonly timeoutMs: number,
    private readonly localId: () => string,
  ) {}

  /** Resolves with the msgid of the echo (or a local id when there is none in time). */
  expect(type: OutgoingKind, foldedTarget: string, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const entry: PendingEcho = { type, target: foldedTarget, text, resolve, reject };
      this.pending.push(entry);
      setTimeout(() => {
        if (this.remove(entry)) resolve(this.localId());
      }, this.timeoutMs).unref();
    });
  }

  /** Our own line came back; the oldest matching pending line takes its msgid. */
  echoed(type: OutgoingKind, foldedTarget: string, text: string, msgid: string | undefined): void {
    const entry = this.pending.find((p) => p.type === type && p.target === foldedTarget && p.text === text);
    if (entry && this.remove(entry)) entry.resolve(msgid ?? this.localId());
  }

  /** The server refused lines to a target: every line still waiting for it fails. */
  refuse(foldedTarget: string, err: Error): void {
    for (const entry of this.pending.filter((p) => p.target === foldedTarget)) {
      this.remove(entry);
      entry.reject(err);
    }
  }

  private remove(entry: PendingEcho): boolean {
    const i = this.pending.indexOf(entry);
    if (i < 0) return false;
    this.pending.splice(i, 1);
    return true;
  }
}
