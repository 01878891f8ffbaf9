#!/usr/bin/env python3
"""Release check of one built wheel on the machine that built it (any OS): install it into a fresh venv, then run
`ai-blame --version` and `python -m ai_blame --version` with no `node` reachable, and expect the release version.
Invariant: a wheel that needs Node (the `any` wheel) must instead fail in one clear line when node is hidden.

Usage: python3 python-dist/smoke.py DIST/ai_blame-<v>-<tag>.whl [--auditwheel]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import venv


def fail(message: str) -> "None":
    print(f"smoke.py: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main(argv) -> int:
    if not argv or not argv[0].endswith(".whl") or not os.path.isfile(argv[0]):
        fail("usage: smoke.py WHEEL [--auditwheel]")
    wheel = os.path.abspath(argv[0])
    version = os.path.basename(wheel).split("-")[1]
    pure = wheel.endswith("-py3-none-any.whl")
    with tempfile.TemporaryDirectory(prefix="ai-blame-smoke-") as tmp:
        env_dir = os.path.join(tmp, "venv")
        venv.create(env_dir, with_pip=True)
        bindir = os.path.join(env_dir, "Scripts" if os.name == "nt" else "bin")
        python = os.path.join(bindir, "python.exe" if os.name == "nt" else "python")
        proc = run([python, "-m", "pip", "install", "-q", "--no-index", "--disable-pip-version-check", wheel])
        if proc.returncode != 0:
            fail(f"pip install failed: {proc.stderr.strip()[-400:]}")
        # Only the venv's scripts and the OS's own folders: no node, wherever the build machine keeps it.
        system_dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep)
                       if d and not any(os.path.exists(os.path.join(d, n)) for n in ("node", "node.exe"))]
        env = dict(os.environ, PATH=os.pathsep.join([bindir] + system_dirs))
        env.pop("NODE_OPTIONS", None)
        exe = os.path.join(bindir, "ai-blame.exe" if os.name == "nt" else "ai-blame")
        for cmd in ([exe, "--version"], [python, "-m", "ai_blame", "--version"]):
            proc = run(cmd, env)
            if pure:
                if proc.returncode == 0 or "no Node.js found" not in proc.stderr or "Traceback" in proc.stderr:
                    fail(f"{cmd[-2:]} without node: expected the one-line 'no Node.js found' error, got "
                         f"exit {proc.returncode}: {proc.stderr.strip()[:300]!r}")
            elif proc.returncode != 0 or version not in proc.stdout:
                fail(f"{cmd} gave exit {proc.returncode}: {(proc.stdout + proc.stderr).strip()[:300]!r}")
            print(f"smoke.py: {os.path.basename(wheel)}: {' '.join(os.path.basename(c) for c in cmd)} ok")
        if "--auditwheel" in argv and "linux" in wheel:
            proc = run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "auditwheel"])
            if proc.returncode != 0:
                fail(f"pip install auditwheel failed: {proc.stderr.strip()[-300:]}")
            proc = run([os.path.join(bindir, "auditwheel"), "show", wheel])
            tag = os.path.basename(wheel)[:-4].split("-")[-1]
            print(proc.stdout.strip())
            if proc.returncode != 0 or tag not in proc.stdout.replace("\n", " "):
                fail(f"auditwheel does not confirm {tag}: {(proc.stdout + proc.stderr).strip()[-400:]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
