/** @trestle/testkit — real servers for tests (Synapse, PostgreSQL, IRC) and simulators of Discord and Telegram. */
export * from './eventually';
export * from './ports';
export * from './synapse';
export * from './matrix-user';
export * from './postgres';
export * from './irc';
export * from './discord';
export * from './telegram';
export * from './bridge-world';
export * from './fake-context';
export * from './loopback';
