import type { StoreEngine } from './store-options';

/**
 * A store operation failed. Carries the engine and the operation (e.g. `open`, `journal.append`) so a log
 * line or an admin reading a crash tells at once where to look; the driver's error is the `cause`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly engine: StoreEngine,
    readonly operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${engine} store: ${operation} failed: ${detail}`, options);
  }

  /** Wrap a driver error, keeping an existing StoreError as it is. */
  static from(engine: StoreEngine, operation: string, err: unknown): StoreError {
    if (err instanceof StoreError) return err;
    return new StoreError(engine, operation, describeCause(err), { cause: err });
  }
}

/**
 * Run one store operation, turning any failure into a StoreError that names it. Not `async`: it runs for every
 * store call on the hot path, and one promise fewer per call is measurable there.
 */
export function runStoreOperation<T>(
  engine: StoreEngine,
  operation: string,
  run: () => Promise<T>,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (err) {
    return Promise.reject(StoreError.from(engine, operation, err));
  }
  return pending.catch((err: unknown) => {
    throw StoreError.from(engine, operation, err);
  });
}

/** A driver error's message, readable even when the driver left it empty. */
export function describeCause(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    // pg reports "connection refused" on every address of a host as an AggregateError with no message.
    return err.errors.map(describeCause).join('; ');
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
