/**
 * @trestle/core — the appservice runtime every Trestle bridge shares.
 *
 * Bridge authors start at `connector/connector.ts` (the contract) and `format/` (the rich-text IR);
 * admins meet `config/`, `registration/` and the `trestle` CLI.
 */
export * from './format';
export * from './model/events';
export * from './model/portal';
export * from './store/store';
export * from './store';
export * from './connector/connector';
export * from './log/logger';
export * from './commands';
export * from './config';
export * from './registration';
export { MatrixApi, MatrixApiError, type CreateRoomOptions, type RequestOptions } from './matrix/matrix-api';
export { escapeLocalpart, unescapeLocalpart } from './matrix/localpart';
export { bridgeInfoState } from './matrix/portals';
export { KeyedQueue } from './delivery/keyed-queue';
export {
  withRetry,
  backoffDelay,
  defaultRetryPolicy,
  type RetryPolicy,
  type RetryVerdict,
} from './delivery/retry';
export { remoteTransactionId } from './delivery/transaction-id';
export {
  AppserviceServer,
  type AppserviceHandlers,
  type RawMatrixEvent,
} from './appservice/appservice-server';
export { BridgeMetrics } from './ops/metrics';
export { BridgeRuntime, type BridgeRuntimeOptions } from './runtime/bridge-runtime';
export type { CommandHandler, CommandRequest } from './runtime/bot-intercept';
export * from './cli';
export { OpsServer } from './ops/ops-server';
export {
  JsonHttpClient,
  PreparedHeaders,
  type HttpRequest,
  type HttpResponse,
  type JsonHttpClientOptions,
  type JsonResponse,
} from './http/json-client';
