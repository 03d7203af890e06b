export { FakeBridgeContext, memoryKv, type FakeBridgeContextOptions } from './fake-bridge-context';
