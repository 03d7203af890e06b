export { startInspircd, IrcServerStartError, type InspircdOptions, type RunningIrcServer } from './inspircd';
export { DEFAULT_INSPIRCD_MODULES } from './inspircd-config';
export { IrcTestUser, IrcWaitTimeoutError, type IrcTestUserOptions } from './irc-test-user';
export type { IrcLogEntry } from './irc-log-entry';
