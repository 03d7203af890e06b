export { FakeBridgeContext, type FakeBridgeContextOptions } from './fake-bridge-context';
