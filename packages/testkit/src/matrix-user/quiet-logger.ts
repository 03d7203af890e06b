import type { ICreateClientOpts } from 'matrix-js-sdk' with { 'resolution-mode': 'import' };

type SdkLogger = NonNullable<ICreateClientOpts['logger']>;

const ignore = (): void => undefined;

/**
 * A matrix-js-sdk logger that keeps warnings and errors and drops the per-request debug lines
 * (`FetchHttpApi: --> POST …`) that would otherwise flood test output.
 */
export const quietSdkLogger: SdkLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: (...message: unknown[]) => console.warn('[matrix-js-sdk]', ...message),
  error: (...message: unknown[]) => console.error('[matrix-js-sdk]', ...message),
  getChild: () => quietSdkLogger,
};
