/** The `trestle` CLI and the pieces bridges and tests use to run a bridge. */
export { defineBridge, type BridgeDefinition } from './bridge-definition';
export { runCli } from './run-cli';
export { startBridge, type RunningBridge } from './start-bridge';
