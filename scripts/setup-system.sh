#!/usr/bin/env bash
# Installs the system packages the test suite uses (Debian/Ubuntu, as root or with sudo): Neovim for the real-client
# LSP test, zstd for compressed Codex rollout fixtures, zsh and fish to check the generated shell completions. Already-present packages are left alone; without apt (or
# without permission) it says what is missing and carries on — the tests that need a package then say they skipped.
set -u
want=()
command -v nvim >/dev/null 2>&1 || want+=(neovim)
command -v zstd >/dev/null 2>&1 || want+=(zstd)
command -v zsh >/dev/null 2>&1 || want+=(zsh)
command -v fish >/dev/null 2>&1 || want+=(fish)
[ ${#want[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "setup-system: not root and no sudo; missing: ${want[*]}" >&2; exit 0; fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: no apt-get; missing: ${want[*]}" >&2; exit 0
fi
echo "setup-system: installing ${want[*]}" >&2
$sudo apt-get update -qq >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${want[@]}" >/dev/null 2>&1 \
  || echo "setup-system: could not install ${want[*]}" >&2
exit 0
