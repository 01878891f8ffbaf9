#!/bin/sh
# Installs the ai-blame single executable (no Python or Node.js needed) on Linux or macOS:
#
#   curl -LsSf https://github.com/ai-blame/ai-blame-ts/releases/latest/download/install.sh | sh
#
# It picks the build for this machine (Linux x64/arm64 with glibc or musl, macOS Intel/Apple silicon), downloads it
# and the release's SHA256SUMS, refuses a download whose checksum differs, and installs `ai-blame` into
# ~/.local/bin (replacing an older one in one step). Settings, all optional, from the environment:
#   AI_BLAME_VERSION       a release version, the tag without its v (default: the latest)
#   AI_BLAME_INSTALL_DIR   where to put ai-blame (default: ~/.local/bin)
#   AI_BLAME_DOWNLOAD_URL  the folder holding the release assets (default: the GitHub release)
set -eu

REPO_URL="https://github.com/ai-blame/ai-blame-ts"

say() { printf 'ai-blame install: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "no ai-blame build for the $arch processor; try: pip install ai-blame (it runs on Node.js 20+)" ;;
  esac
  case "$os" in
    Linux)
      # musl (Alpine and others) needs its own build: the glibc one does not start there.
      if ls /lib/ld-musl-* >/dev/null 2>&1 || { command -v ldd >/dev/null 2>&1 && ldd --version 2>&1 | grep -qi musl; }; then
        echo "linux-$arch-musl"
      else
        echo "linux-$arch"
      fi
      ;;
    Darwin)
      # An x64 shell under Rosetta on Apple silicon still gets the native build.
      if [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then arch=arm64; fi
      echo "darwin-$arch"
      ;;
    *) fail "no ai-blame build for $os here; on Windows use install.ps1, elsewhere: pip install ai-blame" ;;
  esac
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http' -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    fail "neither curl nor wget is installed"
  fi
}

sha256() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "neither sha256sum nor shasum is installed, so the download cannot be verified"
  fi
}

main() {
  platform=$(target)
  asset="ai-blame-$platform"
  if [ -n "${AI_BLAME_DOWNLOAD_URL:-}" ]; then
    base="${AI_BLAME_DOWNLOAD_URL%/}"
  elif [ -n "${AI_BLAME_VERSION:-}" ]; then
    base="$REPO_URL/releases/download/v${AI_BLAME_VERSION#v}"
  else
    base="$REPO_URL/releases/latest/download"
  fi
  dir="${AI_BLAME_INSTALL_DIR:-$HOME/.local/bin}"

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t ai-blame)
  trap 'rm -rf "$tmp"' EXIT INT TERM
  say "downloading $asset from $base"
  download "$base/$asset" "$tmp/$asset" || fail "could not download $base/$asset"
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || fail "could not download $base/SHA256SUMS"
  expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print $1; exit }' "$tmp/SHA256SUMS")
  [ -n "$expected" ] || fail "SHA256SUMS has no checksum for $asset"
  actual=$(sha256 "$tmp/$asset")
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $asset (expected $expected, got $actual); nothing was installed"
  fi

  mkdir -p "$dir"
  chmod 755 "$tmp/$asset"
  # Copy beside the target, then rename over it: a running or half-copied ai-blame is never left in place.
  cp "$tmp/$asset" "$dir/.ai-blame.installing.$$"
  mv -f "$dir/.ai-blame.installing.$$" "$dir/ai-blame"
  version=$("$dir/ai-blame" --version 2>/dev/null) || fail "installed $dir/ai-blame, but it does not run on this machine"
  say "installed $version to $dir/ai-blame"
  case ":$PATH:" in
    *":$dir:"*) ;;
    *) say "$dir is not on your PATH; add it, e.g.: export PATH=\"$dir:\$PATH\"" ;;
  esac
}

main "$@"
