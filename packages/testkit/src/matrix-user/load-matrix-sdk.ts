/** The matrix-js-sdk module's type (it is ESM-only; this package compiles to CommonJS). */
export type MatrixSdk = typeof import('matrix-js-sdk', { with: { 'resolution-mode': 'import' } });

let sdk: MatrixSdk | undefined;

/**
 * matrix-js-sdk 43 calls `Promise.withResolvers` (ES2024, Node 22+) when sending events and
 * uploading media; on Node 20 those calls throw. Install the standard behaviour where it is missing.
 */
function ensurePromiseWithResolvers(): void {
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/**
 * Module-level code in the SDK (the send scheduler, for one) logs through a global loglevel logger
 * at DEBUG ("Stopping queue 'message' …" after every send); keep only its warnings and errors.
 */
function quietGlobalSdkLogger(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same module instance the SDK uses
  const { logger } = require('matrix-js-sdk/lib/logger.js') as {
    logger: { setLevel(level: string, persist: boolean): void };
  };
  logger.setLevel('warn', false);
}

/**
 * Load matrix-js-sdk. It is ESM-only, yet one synchronous `require` serves both places tests run:
 * plain Node (>= 20.19 requires ES modules natively) and Jest (swc has transformed it to CommonJS).
 */
export function loadMatrixSdk(): MatrixSdk {
  if (!sdk) {
    ensurePromiseWithResolvers();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: require() is the one loader that works in both
    sdk = require('matrix-js-sdk') as MatrixSdk;
    quietGlobalSdkLogger();
  }
  return sdk;
}
