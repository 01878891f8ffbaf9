#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, type-check + bundles + vitest (engine, CLI, server incl.
# headless Neovim), the Python wheel tests, then the VS Code end-to-end test (code-server + Chromium). Stops at the
# first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm test
if [ -f python-dist/run-tests.sh ]; then bash python-dist/run-tests.sh; fi
npm run test:e2e
