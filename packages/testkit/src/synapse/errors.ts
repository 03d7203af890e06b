/** Synapse is not installed where the testkit looks for it. */
export class SynapseNotInstalledError extends Error {
  constructor(readonly venvPath: string) {
    super(
      `Synapse is not installed in ${venvPath} (no bin/python there). ` +
        'Run .ci/provision-synapse.sh, or point TRESTLE_SYNAPSE_VENV at a virtualenv with matrix-synapse.',
    );
    this.name = 'SynapseNotInstalledError';
  }
}

/** Synapse exited or did not answer in time; `logTail` holds the last lines it wrote. */
export class SynapseStartError extends Error {
  constructor(
    reason: string,
    readonly logTail: string,
  ) {
    super(`${reason}\n--- Synapse log tail ---\n${logTail}`);
    this.name = 'SynapseStartError';
  }
}

/** The shared-secret admin registration API refused a user. */
export class SharedSecretRegistrationError extends Error {
  constructor(
    readonly localpart: string,
    readonly status: number,
    readonly errcode: string | undefined,
    detail: string,
  ) {
    super(`registering @${localpart} failed: HTTP ${status} ${errcode ?? ''} ${detail}`.trim());
    this.name = 'SharedSecretRegistrationError';
  }
}
