#!/usr/bin/env bash
# Release step: packages the VS Code extension (client + server bundles, no node_modules) as
# ai-blame-<version>.vsix at the repository root and checks it holds both bundles and nothing from node_modules.
# Publishing it (vsce/ovsx with a token) is left to the workflow, which only runs that when the token is set.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')
npm run -s package:vscode
vsix="ai-blame-$version.vsix"
if [ ! -f "$vsix" ]; then
  echo "release-vsix: npm run package:vscode did not produce $vsix" >&2
  exit 1
fi
listing=$(python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$vsix")
for needed in extension/client-vscode/dist/extension.js extension/client-vscode/dist/server.js; do
  grep -qx "$needed" <<<"$listing" || { echo "release-vsix: $vsix lacks $needed" >&2; exit 1; }
done
if grep -q node_modules <<<"$listing"; then
  echo "release-vsix: $vsix contains node_modules" >&2
  exit 1
fi
echo "$vsix"
