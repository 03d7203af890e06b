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
export { IrcConnectionError } from './network/irc-connection';
export { chatIdFor, ghostIdFor, parseChatId, parseAliasLocalpart } from './ids';
export { bridge } from './irc-bridge';
