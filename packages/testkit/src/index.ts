export {};
export * from './irc';
export * from './discord';
export * from './loopback';
export * from './telegram';
