#!/usr/bin/env bash
# Installs the Rust reference (PyPI ai-blame==0.5.3, a wheel carrying its native binary) into bench/.venv, so
# bench/run.mjs can call it by path as bench/.venv/bin/ai-blame. Never fails the caller: when it cannot be installed
# (no python3, no venv, no network, no wheel for this platform) it says why and exits 0, and the bench skips it.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
bin="$venv/bin/ai-blame"
version="0.5.3"

skip() {
  echo "setup-reference: $1; the reference columns of the benchmark will be skipped." >&2
  exit 0
}

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "$version"; then
  echo "setup-reference: $("$bin" --version) already installed at $bin" >&2
  exit 0
fi

py="$(command -v python3 || command -v python || true)"
[ -n "$py" ] || skip "python3 not found"
"$py" -m venv "$venv" >/dev/null 2>&1 || skip "could not create $venv (python3 -m venv failed; on Debian: apt-get install python3-venv)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ai-blame==$version" >"$venv/pip.log" 2>&1 \
  || skip "pip install ai-blame==$version failed (see $venv/pip.log)"
[ -x "$bin" ] || skip "the wheel installed no $bin"
"$bin" --version >/dev/null 2>&1 || skip "$bin does not run on this machine"
echo "setup-reference: installed $("$bin" --version) at $bin" >&2
