#!/usr/bin/env bash
# Release step (one per platform job, after release-wheel.sh built the wheel): copies that job's single executable
# (python-dist/build/sea-TARGET/ai-blame[.exe], the one inside the wheel) to python-dist/dist/binaries/ under the
# asset name install.sh and install.ps1 download: ai-blame-TARGET (ai-blame-win-x64.exe on Windows).
# Usage: scripts/release-binary.sh linux-x64|linux-arm64|linux-x64-musl|linux-arm64-musl|darwin-x64|darwin-arm64|win-x64
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: release-binary.sh TARGET}
ext=""
[[ "$target" == win-* ]] && ext=".exe"
built="python-dist/build/sea-$target/ai-blame$ext"
[ -f "$built" ] || { echo "release-binary: $built is missing; run scripts/release-wheel.sh $target first" >&2; exit 1; }
mkdir -p python-dist/dist/binaries
cp "$built" "python-dist/dist/binaries/ai-blame-$target$ext"
echo "python-dist/dist/binaries/ai-blame-$target$ext"
