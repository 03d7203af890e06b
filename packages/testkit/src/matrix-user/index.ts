/** A real Matrix user for end-to-end tests, driven by matrix-js-sdk. */
export { MatrixTestUser } from './matrix-test-user';
export type { MatrixCredentials, MatrixEventPredicate, UserRegistrar } from './matrix-test-user';
export { EventWaitTimeoutError } from './room-event-log';
export type { MatrixTimelineEvent } from './room-event-log';
export type { MatrixInvite } from './sync-loop';
export { loadMatrixSdk } from './load-matrix-sdk';
export type { MatrixSdk } from './load-matrix-sdk';
