/** A real Synapse homeserver for tests, started from the pinned virtualenv. */
export { startSynapse } from './start-synapse';
export type { StartSynapseOptions, SynapseHandle } from './start-synapse';
export type { RegisteredMatrixUser } from './shared-secret-registration';
export { SharedSecretRegistrationError, SynapseNotInstalledError, SynapseStartError } from './errors';
export { DEFAULT_SYNAPSE_VENV, synapseVenvPath } from './synapse-venv';
