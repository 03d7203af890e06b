/**
 * The names the relay bot recently spoke under (`<Alice> …`) and the Matrix users behind them, so
 * an IRC reply addressed to `Alice:` becomes a pill that notifies Alice on Matrix.
 */
export class RelayedNames {
  private readonly users = new Map<string, string>();

  constructor(
    private readonly fold: (s: string) => string,
    private readonly capacity = 1000,
  ) {}

  remember(name: string, matrixUserId: string): void {
    const key = this.fold(name);
    this.users.delete(key);
    this.users.set(key, matrixUserId);
    if (this.users.size > this.capacity) this.users.delete(this.users.keys().next().value!);
  }

  /** The Matrix user last relayed under this (folded) name. */
  userFor(foldedName: string): string | undefined {
    return this.users.get(foldedName);
  }
}
