#!/usr/bin/env bash
# Release step: writes DIR/SHA256SUMS, one `<sha256>  <file name>` line per file in DIR (the format sha256sum -c
# reads), which install.sh and install.ps1 check every download against. Usage: scripts/release-checksums.sh DIR
set -euo pipefail
dir=${1:?usage: release-checksums.sh DIR}
cd "$dir"
rm -f SHA256SUMS
files=()
for f in *; do [ -f "$f" ] && files+=("$f"); done
[ "${#files[@]}" -gt 0 ] || { echo "release-checksums: no files in $dir" >&2; exit 1; }
if command -v sha256sum >/dev/null 2>&1; then sha256sum -- "${files[@]}" > SHA256SUMS.tmp; else shasum -a 256 -- "${files[@]}" > SHA256SUMS.tmp; fi
mv SHA256SUMS.tmp SHA256SUMS
echo "$dir/SHA256SUMS"
