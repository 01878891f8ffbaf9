#!/usr/bin/env bash
# The Python wheel tests, as scripts/test-all.sh (and so .ci/run) calls them: builds the production CLI bundle,
# puts pytest, twine and uv into a venv under python-dist/build/ (kept between runs), then runs test_wheels.py,
# which builds both wheels and installs them into fresh environments under python-dist/build/pytest-tmp.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=python-dist/build/tools-venv
if ! "$tools/bin/python" -c 'import pytest' 2>/dev/null || [ ! -x "$tools/bin/uv" ] || [ ! -x "$tools/bin/twine" ]; then
  python3 -m venv --clear "$tools"
  "$tools/bin/python" -m pip install -q --disable-pip-version-check pytest twine uv
fi
node scripts/build.mjs cli --production
rm -rf python-dist/build/pytest-tmp
status=0
"$tools/bin/python" -m pytest -q -p no:cacheprovider --basetemp python-dist/build/pytest-tmp python-dist/test_wheels.py \
  "$@" || status=$?
# The installed environments (~1 GB) are only kept when a test failed, for a look at them.
if [ "$status" = 0 ]; then rm -rf python-dist/build/pytest-tmp; fi
exit "$status"
