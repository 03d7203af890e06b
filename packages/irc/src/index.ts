/** @trestle/irc — the IRC connector for Trestle. */
export * from './format';
export { IrcConnector, createIrcConnector } from './irc-connector';
export {
  IrcConfigSchema,
  NetworkSchema,
  IrcConfigError,
  parseIrcConfig,
  type IrcConfig,
  type IrcNetworkConfig,
} from './config';

export { chatIdFor, ghostIdFor, parseChatId, parseAliasLocalpart } from './ids';
export { bridge } from './irc-bridge';
export { IrcConnection, IrcConnectionError } from './network/irc-connection';
export { botIdentity, type ConnectionIdentity } from './network/connection-identity';
export { VirtualUserPool } from './virtual/virtual-user-pool';
export { VirtualUser } from './virtual/virtual-user';
export { ConnectGate, ConnectGateClosedError, reconnectDelay } from './virtual/connect-gate';
export { renderNick, sanitiseNick, nickCandidate, nickRulesFrom, type NickRules } from './virtual/nick-rules';
export { IrcLogins, LoginsNotConfiguredError } from './logins/irc-logins';
export { CredentialBox, CredentialDecryptError } from './logins/credential-box';
export { privateChatIdFor, parsePrivateChatId } from './ids';
