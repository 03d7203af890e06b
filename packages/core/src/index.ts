/** @trestle/core — the appservice runtime every Trestle bridge shares. */
export * from './format/ir';
export * from './model/events';
export * from './model/portal';
export * from './store/store';
export * from './connector/connector';
export * from './log/logger';
export * from './commands/command';
