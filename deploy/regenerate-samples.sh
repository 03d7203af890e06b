#!/usr/bin/env bash
# Rewrite deploy/config/<bridge>.sample.yaml from each bridge's config schema (after `pnpm build`).
# test/deploy/deploy-files.test.ts fails when these files are out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
for bridge in irc discord telegram; do
  node packages/core/dist/cli/main.js "$bridge" sample-config > "deploy/config/$bridge.sample.yaml"
done
