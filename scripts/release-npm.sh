#!/usr/bin/env bash
# Release step: publishes the `ai-blame` npm package (cli/, one bundled file, so `npx ai-blame` works) after
# checking that its version is the root package.json's and that the fresh production bundle reports it.
# Usage: scripts/release-npm.sh [npm publish options, e.g. --dry-run or --provenance]
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')
cli_version=$(node -p 'require("./cli/package.json").version')
if [ "$version" != "$cli_version" ]; then
  echo "release-npm: cli/package.json has version $cli_version but the root package.json has $version" >&2
  exit 1
fi
rm -f cli/dist/ai-blame.js.map  # a development build leaves it; `files: ["dist"]` would publish it
node scripts/build.mjs cli --production
if ! node cli/dist/ai-blame.js --version | grep -qF "$version"; then
  echo "release-npm: cli/dist/ai-blame.js --version does not print $version" >&2
  exit 1
fi
npm publish --workspace cli --access public "$@"
