/** The loopback network and its connector: the reference bridge for tests and docs. */
export * from './loopback-network';
export { LoopbackConnector, type LoopbackConfig } from './loopback-connector';
export { bridge, loopbackNetworkSchema } from './loopback-bridge';
export { startLoopbackWorld, type LoopbackWorld } from './loopback-world';
export { LoopbackDriver } from './loopback-driver';
