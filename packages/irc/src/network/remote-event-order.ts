/**
 * The order in which one network's IRC events are handed to the core. The core already keeps
 * events of one chat in order and runs chats in parallel, so events are handed over at once:
 * waiting for each to be delivered before handing over the next (whatever its channel) made every
 * channel of a network wait for every other. Work that must see everything before it settled —
 * a ghost's nick change (no chat of its own), a power-level sync, a netsplit notice — is a
 * barrier: it runs once all earlier events are handled, and later events wait for it.
 */
export class RemoteEventOrder {
  private readonly inFlight = new Set<Promise<void>>();
  private barrier: Promise<void> | undefined;

  /** @param onError told about work that failed (work should not reject; this is the last resort) */
  constructor(private readonly onError: (err: Error) => void) {}

  /** Hand `deliver` over now, or right after a pending barrier. */
  now(deliver: () => Promise<unknown>): void {
    const pending = this.barrier;
    this.track(pending ? pending.then(deliver) : deliver());
  }

  /** Run `work` once everything handed over before has settled; later work waits for it. */
  afterAll(work: () => Promise<unknown>): void {
    const earlier = [...this.inFlight];
    const barrier = Promise.all(earlier).then(work);
    const tracked = this.track(barrier);
    this.barrier = tracked;
    void tracked.then(() => {
      if (this.barrier === tracked) this.barrier = undefined;
    });
  }

  /** Resolves when everything handed over so far has settled. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<unknown>): Promise<void> {
    const settled = work.then(
      () => undefined,
      (err: Error) => this.onError(err),
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return settled;
  }
}
