#!/usr/bin/env bash
# Make sure the pinned Synapse is installed in its virtualenv, so tests can start a real homeserver.
# Idempotent: does nothing when the right version is already importable; says what it did either way.
#   TRESTLE_SYNAPSE_VENV  where the virtualenv lives (default: ~/.cache/trestle/synapse-venv)
#   SYNAPSE_VERSION       the pinned version (default below; keep in sync with docs/development.md)
set -euo pipefail

VENV="${TRESTLE_SYNAPSE_VENV:-$HOME/.cache/trestle/synapse-venv}"
WANTED="${SYNAPSE_VERSION:-1.163.2}"

installed_version() {
  "$VENV/bin/python" -c 'import synapse; print(synapse.__version__)' 2>/dev/null || true
}

current="$(installed_version)"
if [ "$current" = "$WANTED" ]; then
  echo "provision-synapse: Synapse $WANTED already installed in $VENV"
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "provision-synapse: creating virtualenv $VENV"
  mkdir -p "$(dirname "$VENV")"
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    # Debian splits ensurepip into python3-venv; a fresh machine may lack it.
    echo "provision-synapse: python3 -m venv failed; installing Debian's python3-venv"
    rm -rf "$VENV"
    apt-get install -y -qq python3-venv >/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; }
    python3 -m venv "$VENV"
  fi
fi

if [ -n "$current" ]; then
  echo "provision-synapse: replacing Synapse $current with $WANTED in $VENV"
else
  echo "provision-synapse: installing Synapse $WANTED into $VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse==$WANTED" psycopg2-binary

current="$(installed_version)"
if [ "$current" != "$WANTED" ]; then
  echo "provision-synapse: expected Synapse $WANTED after install, found '${current:-nothing}'" >&2
  exit 1
fi
echo "provision-synapse: Synapse $current ready in $VENV"
