#!/usr/bin/env bash
# Release step: publishes the `ai-blame` npm package (cli/: the launcher, the one bundled core file, so `npx ai-blame` works, and the
# code cache the build made for the releasing Node, which serves first runs on that Node version) with the root
# package.json's version (stamped into cli/package.json) after checking that the fresh production bundle reports it.
# Usage: scripts/release-npm.sh [npm publish options, e.g. --dry-run or --provenance]
set -euo pipefail
cd "$(dirname "$0")/.."
# cli/package.json keeps a placeholder; the one version is the root package.json's, written in for the publish and
# taken out again afterwards, so a local dry run leaves the checkout as it was.
placeholder=$(mktemp)
cp cli/package.json "$placeholder"
trap 'cp "$placeholder" cli/package.json; rm -f "$placeholder"' EXIT
version=$(node scripts/stamp-npm-version.mjs)
rm -f cli/dist/ai-blame.js.map cli/dist/ai-blame-core.js.map  # a development build leaves them
node scripts/build.mjs cli --production
if ! node cli/dist/ai-blame.js --version | grep -qF "$version"; then
  echo "release-npm: cli/dist/ai-blame.js --version does not print $version" >&2
  exit 1
fi
npm publish --workspace cli --access public "$@"
