#!/usr/bin/env python3
"""Builds the ai-blame wheels from the esbuild CLI bundle: one platform wheel holding a Node single-executable
build at `ai_blame-<v>.data/scripts/ai-blame` (ruff's layout), and one dependency-free `py3-none-any` fallback that
runs the bundle on a system Node.js. Invariant: both wheels carry byte-identical METADATA (uv requires it), the
version comes from the root package.json, and the platform tag is read from the Node binary actually shipped.

Usage: python3 python-dist/build.py [--target linux-x64] [--only sea|any] [--node-binary PATH] [--out DIR]
Standard library only; needs npm (to fetch Node and postject once), strip/objdump on Linux, codesign on macOS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from typing import List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from buildlib.sea import TARGETS, BuildError, Target, build_sea, fetch_node, platform_tag  # noqa: E402
from buildlib.wheel import Member, Metadata, pep440_version, verify_wheel, write_wheel  # noqa: E402

# Node 24 LTS: SEA start-up ~20 ms (Node 20: ~49 ms), supports `execArgvExtension`; see python-dist/README.md.
NODE_VERSION = "24.21.0"
PY_PACKAGE_DIR = os.path.join(HERE, "src", "ai_blame")
PY_FILES = ("__init__.py", "__main__.py", "_launch.py")
CLASSIFIERS = (
    "Development Status :: 3 - Alpha",
    "Environment :: Console",
    "Intended Audience :: Developers",
    "Operating System :: MacOS",
    "Operating System :: Microsoft :: Windows",
    "Operating System :: POSIX :: Linux",
    "Programming Language :: JavaScript",
    "Programming Language :: Python :: 3",
    "Topic :: Software Development :: Quality Assurance",
    "Topic :: Software Development :: Version Control",
)
KEYWORDS = ("blame", "ai", "provenance", "claude-code", "codex", "lsp")


def host_target() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine)
    system = platform.system()
    if arch is None or system not in ("Linux", "Darwin", "Windows"):
        raise BuildError(f"no ai-blame SEA target for {system} {machine}; build the pure wheel with --only any")
    if system == "Linux":
        return f"linux-{arch}" + ("" if platform.libc_ver()[0] == "glibc" else "-musl")
    return f"{'darwin' if system == 'Darwin' else 'win'}-{arch}"


def read_package_json() -> dict:
    with open(os.path.join(ROOT, "package.json"), encoding="utf-8") as fh:
        return json.load(fh)


def repository_url(pkg: dict) -> Optional[str]:
    repo = pkg.get("repository")
    url = repo.get("url") if isinstance(repo, dict) else repo
    if not isinstance(url, str):
        return None
    url = re.sub(r"^git\+", "", url)
    return re.sub(r"\.git$", "", url)


def make_metadata(pkg: dict) -> Metadata:
    readme_path = os.path.join(ROOT, "README.md")
    if not os.path.isfile(readme_path):
        readme_path = os.path.join(HERE, "README.md")
    with open(readme_path, encoding="utf-8") as fh:
        readme = fh.read()
    url = repository_url(pkg)
    urls = [("Homepage", url), ("Source", url), ("Issues", url + "/issues")] if url else []
    summary = " ".join(str(pkg.get("description", "")).split())
    if not summary:
        raise BuildError("the root package.json has no description (it becomes the wheel's Summary)")
    return Metadata(
        name="ai-blame",
        version=pep440_version(str(pkg["version"])),
        summary=summary,
        license_expression=str(pkg.get("license", "MIT")),
        requires_python=">=3.8",
        readme=readme,
        keywords=KEYWORDS,
        classifiers=CLASSIFIERS,
        project_urls=urls,
        license_files=("LICENSE",) if os.path.isfile(os.path.join(ROOT, "LICENSE")) else (),
    )


def license_texts(meta: Metadata) -> List[tuple]:
    out = []
    for name in meta.license_files:
        with open(os.path.join(ROOT, name), "rb") as fh:
            out.append((name, fh.read()))
    return out


def python_members() -> List[Member]:
    members = []
    for name in PY_FILES:
        with open(os.path.join(PY_PACKAGE_DIR, name), "rb") as fh:
            members.append(Member(f"ai_blame/{name}", fh.read()))
    return members


def build_any_wheel(meta: Metadata, bundle: str, out: str) -> str:
    with open(bundle, "rb") as fh:
        bundle_bytes = fh.read()
    with open(os.path.join(PY_PACKAGE_DIR, "_node_check.js"), "rb") as fh:
        check = fh.read()
    members = python_members() + [Member("ai_blame/_node_check.js", check), Member("ai_blame/ai-blame.js", bundle_bytes)]
    entry_points = "[console_scripts]\nai-blame = ai_blame._launch:main\n"
    return write_wheel(out, meta, "py3-none-any", members, entry_points, license_texts(meta))


def smoke_test(exe: str, npm_version: str) -> None:
    """Runs the fresh executable with no node on PATH; it must print the version."""
    env = {"PATH": os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if not _has_node(p))}
    proc = subprocess.run([exe, "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if proc.returncode != 0 or npm_version not in proc.stdout:
        raise BuildError(f"{exe} --version gave exit {proc.returncode} and {proc.stdout.strip()[:200]!r}")


def _has_node(directory: str) -> bool:
    return any(os.path.exists(os.path.join(directory, n)) for n in ("node", "node.exe"))


def build_sea_wheel(args: argparse.Namespace, target: Target, meta: Metadata, bundle: str, npm_version: str) -> str:
    build_dir = os.path.join(HERE, "build")
    node_license = None
    if args.node_binary:
        node_binary = os.path.abspath(args.node_binary)
        if not os.path.isfile(node_binary):
            raise BuildError(f"--node-binary {args.node_binary}: no such file")
        # An official archive keeps LICENSE beside bin/: ship it with the binary as the npm route does.
        beside = os.path.join(os.path.dirname(os.path.dirname(node_binary)), "LICENSE")
        node_license = beside if os.path.isfile(beside) else None
    else:
        node_binary, node_license = fetch_node(target, args.node_version, os.path.join(build_dir, "node-cache"))
    started = time.monotonic()
    exe = build_sea(
        target,
        node_binary,
        bundle,
        os.path.join(build_dir, f"sea-{target.name}"),
        os.path.join(build_dir, "tools"),
        use_code_cache=not args.no_code_cache,
    )
    print(f"build: SEA {exe} {os.path.getsize(exe) / 1e6:.1f} MB in {time.monotonic() - started:.1f} s", file=sys.stderr)
    if target.name == _safe_host_target():
        smoke_test(exe, npm_version)
    with open(exe, "rb") as fh:
        exe_bytes = fh.read()
    members = python_members() + [Member(f"ai_blame-{meta.version}.data/scripts/{target.exe_name}", exe_bytes, True)]
    if node_license:
        with open(node_license, "rb") as fh:
            members.append(Member("ai_blame/NODE_LICENSE", fh.read()))
    tag = f"py3-none-{platform_tag(target, node_binary)}"
    return write_wheel(args.out, meta, tag, members, None, license_texts(meta))


def _safe_host_target() -> Optional[str]:
    try:
        return host_target()
    except BuildError:
        return None


def parse_args(argv: List[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="build.py", description="Build the ai-blame wheels into python-dist/dist/.")
    p.add_argument("--target", choices=sorted(TARGETS), help="SEA platform (default: this machine)")
    p.add_argument("--only", choices=("sea", "any"), help="build just one of the two wheels")
    p.add_argument("--node-version", default=NODE_VERSION, help=f"Node.js for the SEA (default {NODE_VERSION})")
    p.add_argument("--node-binary", help="an official node binary to use instead of the npm package")
    p.add_argument("--bundle", default=os.path.join(ROOT, "cli", "dist", "ai-blame-core.js"), help="the CLI bundle (the core the npm launcher runs)")
    p.add_argument("--out", default=os.path.join(HERE, "dist"), help="output folder (default python-dist/dist)")
    p.add_argument("--no-code-cache", action="store_true", help="do not embed V8 code cache in the SEA blob")
    p.add_argument("--print-node-version", action="store_true", help="print the pinned Node version and exit")
    return p.parse_args(argv)


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    if args.print_node_version:
        print(args.node_version)
        return 0
    try:
        pkg = read_package_json()
        meta = make_metadata(pkg)
        bundle = os.path.abspath(args.bundle)
        if not os.path.isfile(bundle):
            raise BuildError(f"{bundle} does not exist; run `node scripts/build.mjs cli` first")
        built = []
        if args.only != "any":
            target = TARGETS[args.target or host_target()]
            built.append(build_sea_wheel(args, target, meta, bundle, str(pkg["version"])))
        if args.only != "sea":
            built.append(build_any_wheel(meta, bundle, args.out))
        for path in built:
            problems = verify_wheel(path)
            if problems:
                raise BuildError(f"{path}: {problems[0]}")
            print(f"build: {os.path.relpath(path, ROOT)} {os.path.getsize(path) / 1e6:.2f} MB", file=sys.stderr)
            print(path)  # stdout: just the wheel paths, for release scripts
    except (BuildError, ValueError, OSError) as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
