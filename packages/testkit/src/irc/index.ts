export { startInspircd, IrcServerStartError, type InspircdOptions, type RunningIrcServer } from './inspircd';
export { DEFAULT_INSPIRCD_MODULES, type ServerLink } from './inspircd-config';
export { IrcTestUser, IrcWaitTimeoutError, type IrcTestUserOptions } from './irc-test-user';
export type { IrcLogEntry } from './irc-log-entry';
export { startAtheme, ATHEME_LINK, type RunningServices } from './atheme';
export { startTwoServerNetwork, type TwoServerNetwork } from './inspircd-network';
export { createClientCertificate, type TestClientCertificate } from './test-certificates';
