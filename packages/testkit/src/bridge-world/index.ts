export { startBridgeWorld, type BridgeWorld, type BridgeWorldOptions } from './bridge-world';
