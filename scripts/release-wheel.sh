#!/usr/bin/env bash
# Release step (one per platform job): builds the ai-blame wheel for TARGET (or `any`, the pure fallback wheel)
# from the production CLI bundle, then installs it into a fresh venv and runs it with no node reachable
# (python-dist/smoke.py, plus `auditwheel show` for manylinux). Extra arguments go to python-dist/build.py.
# Usage: scripts/release-wheel.sh linux-x64|linux-arm64|linux-x64-musl|...|win-x64|any [--node-binary PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
target=${1:?usage: release-wheel.sh TARGET|any [build.py options]}
shift
[ -f cli/dist/ai-blame-core.js ] || node scripts/build.mjs cli --production
if [ "$target" = any ]; then
  wheels=$("$py" python-dist/build.py --only any "$@")
else
  wheels=$("$py" python-dist/build.py --only sea --target "$target" "$@")
fi
for wheel in $wheels; do
  case "$wheel" in
    *manylinux*) "$py" python-dist/smoke.py "$wheel" --auditwheel ;;
    *) "$py" python-dist/smoke.py "$wheel" ;;
  esac
done
