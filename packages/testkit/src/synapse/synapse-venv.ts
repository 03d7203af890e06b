import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SynapseNotInstalledError } from './errors';

/** Where `.ci/provision-synapse.sh` installs Synapse unless `TRESTLE_SYNAPSE_VENV` says otherwise. */
export const DEFAULT_SYNAPSE_VENV = join(homedir(), '.cache', 'trestle', 'synapse-venv');

/** The virtualenv holding Synapse: `TRESTLE_SYNAPSE_VENV` or {@link DEFAULT_SYNAPSE_VENV}. */
export function synapseVenvPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRESTLE_SYNAPSE_VENV || DEFAULT_SYNAPSE_VENV;
}

/**
 * The virtualenv's Python interpreter.
 * @throws {@link SynapseNotInstalledError} when the virtualenv does not exist.
 */
export function synapsePython(venv: string = synapseVenvPath()): string {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) throw new SynapseNotInstalledError(venv);
  return python;
}
