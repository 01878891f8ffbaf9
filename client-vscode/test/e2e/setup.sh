#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, offline from the npm registry and Debian: code-server 4.100.3
# (the newest that runs on Node 20: VS Code 1.100.3 in the browser), Chromium, playwright-core, and the system
# libraries code-server's native modules need. Idempotent; installs into $AI_BLAME_E2E_DIR (default
# ~/.cache/ai-blame-e2e), outside the project's package.json because code-server is ~300 MB.
set -euo pipefail
dir="${AI_BLAME_E2E_DIR:-$HOME/.cache/ai-blame-e2e}"
mkdir -p "$dir"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  echo "e2e setup: apt-get install ${need[*]}" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -x "$dir/node_modules/.bin/code-server" ]; then
  # @vscode/ripgrep's postinstall downloads rg from GitHub; it checks a cache first, so seed the cache with a
  # tarball of Debian's rg under the exact name it looks for.
  rgcache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rgcache"
  tarball="$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -f "$tarball" ]; then
    tmp=$(mktemp -d); cp "$(command -v rg)" "$tmp/rg"; tar -C "$tmp" -czf "$tarball" rg; rm -rf "$tmp"
  fi
  echo "e2e setup: installing code-server 4.100.3 into $dir (about a minute)" >&2
  (cd "$dir" && [ -f package.json ] || echo '{"name":"ai-blame-e2e","private":true}' > "$dir/package.json")
  (cd "$dir" && npm_config_yes=true npm_config_unsafe_perm=true npm install --no-audit --no-fund --loglevel=error \
    code-server@4.100.3 playwright-core@1.65.1 >/dev/null)
fi
if [ ! -d "$dir/node_modules/playwright-core" ]; then
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error playwright-core@1.65.1 >/dev/null)
fi
"$dir/node_modules/.bin/code-server" --version | head -1
