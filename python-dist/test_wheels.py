"""End-to-end tests of the ai-blame wheels: build them, install them into fresh environments with pip, uv pip,
uv tool and uvx, then run them with a PATH that holds no `node` and compare every output with the npm CLI
(`node cli/dist/ai-blame.js`) on the bundled example. Invariant: nothing is written outside a pytest temp folder
and python-dist/build/ (the Node and tool caches), and no test needs a network other than PyPI/npm on first run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path
from typing import Dict, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# The bundle the wheels embed (the core; the npm package runs it through its launcher, NPM_CLI, compared with below).
BUNDLE = Path(os.environ.get("AI_BLAME_BUNDLE") or ROOT / "cli" / "dist" / "ai-blame-core.js").resolve()
NPM_CLI = ROOT / "cli" / "dist" / "ai-blame.js"
DIST = HERE / "dist"
TOOLS_VENV = HERE / "build" / "tools-venv"
NODE_NAMES = {"node", "nodejs", "node.exe", "npm", "npx", "corepack"}
sys.path.insert(0, str(HERE))

from buildlib.wheel import verify_wheel  # noqa: E402


def sh(cmd: List[str], env: Optional[Dict[str, str]] = None, cwd: Optional[Path] = None, timeout: float = 300,
       input: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, timeout=timeout, input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ok(cmd: List[str], **kw) -> subprocess.CompletedProcess:
    proc = sh(cmd, **kw)
    assert proc.returncode == 0, f"{cmd} exited {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
    return proc


def system_node() -> str:
    node = shutil.which("node")
    assert node, "the tests compare against the npm CLI and need node on the PATH of the test runner"
    return node


@pytest.fixture(scope="session")
def wheels() -> Dict[str, Path]:
    """Builds both wheels from the current CLI bundle (the Node download and postject are cached)."""
    assert BUNDLE.is_file(), f"{BUNDLE} is missing: run `node scripts/build.mjs cli` first"
    for old in DIST.glob("ai_blame-*.whl"):
        old.unlink()
    ok([sys.executable, HERE / "build.py", "--bundle", BUNDLE], timeout=900)
    built = sorted(DIST.glob("ai_blame-*.whl"))
    sea = [w for w in built if "manylinux" in w.name]
    pure = [w for w in built if w.name.endswith("-py3-none-any.whl")]
    assert len(sea) == 1 and len(pure) == 1, built
    return {"sea": sea[0], "any": pure[0]}


@pytest.fixture(scope="session")
def tools() -> Dict[str, Path]:
    """twine and uv, installed from PyPI with pip into a venv under python-dist/build/ (kept between runs)."""
    bindir = TOOLS_VENV / "bin"
    if not (bindir / "uv").exists() or not (bindir / "twine").exists():
        venv.create(TOOLS_VENV, with_pip=True, clear=True)
        ok([bindir / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "twine", "uv"])
    return {"uv": bindir / "uv", "uvx": bindir / "uvx", "twine": bindir / "twine"}


@pytest.fixture(scope="session")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("wheels")


@pytest.fixture(scope="session")
def nodeless_bin(work: Path) -> Path:
    """One folder of symlinks to every program on PATH except node/npm/npx/corepack."""
    dest = work / "nodeless-bin"
    dest.mkdir()
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if not d or not os.path.isdir(d):
            continue
        for entry in os.scandir(d):
            if entry.name in NODE_NAMES or (dest / entry.name).exists():
                continue
            if entry.is_file() and os.access(entry.path, os.X_OK):
                (dest / entry.name).symlink_to(entry.path)
    assert shutil.which("node", path=str(dest)) is None
    return dest


@pytest.fixture(scope="session")
def base_env(work: Path) -> Dict[str, str]:
    """The environment both the npm CLI and the wheels run in: a private HOME and cache, no colour, no NODE_OPTIONS."""
    home = work / "user-home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NODE_", "npm_", "AI_BLAME_", "VIRTUAL_ENV"))}
    env.update({"HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), "NO_COLOR": "1",
                "UV_CACHE_DIR": str(work / "uv-cache"), "UV_PYTHON_DOWNLOADS": "never", "UV_NO_CONFIG": "1",
                "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INDEX": "1"})
    return env


def env_with_path(base_env: Dict[str, str], nodeless_bin: Path, *front: Path) -> Dict[str, str]:
    """base_env with PATH = the given folders, then every program of the outer PATH except node."""
    env = dict(base_env)
    env["PATH"] = os.pathsep.join([str(p) for p in front] + [str(nodeless_bin)])
    return env


def env_without_node(base_env: Dict[str, str], nodeless_bin: Path, *front: Path) -> Dict[str, str]:
    env = env_with_path(base_env, nodeless_bin, *front)
    assert shutil.which("node", path=env["PATH"]) is None
    return env


@pytest.fixture(scope="session")
def example(work: Path, base_env: Dict[str, str]) -> Dict[str, Path]:
    """The bundled example (project + trace home) materialized with real absolute paths."""
    script = ROOT / "scripts" / "materialize-example.mjs"
    assert script.is_file(), f"{script} is missing"
    out = ok([system_node(), script, work / "example"], env=base_env)
    paths = json.loads(out.stdout.strip().splitlines()[-1])
    project = Path(paths["project"])
    files = sorted(p for p in project.rglob("*") if p.is_file() and not any(part.startswith(".")
                                                                           for part in p.relative_to(project).parts))
    assert files, f"no files in {project}"
    return {"home": Path(paths["home"]), "project": project, "files": files[:12]}


def npm_cli(args: List[str], env: Dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return sh([system_node(), NPM_CLI] + args, env=env, cwd=cwd)


def assert_same_as_npm(exe: List, args: List[str], env: Dict[str, str], base_env: Dict[str, str], cwd: Path) -> None:
    want = npm_cli(args, dict(base_env), cwd)
    assert want.returncode == 0 and want.stdout.strip(), f"the npm CLI itself failed on {args}: {want.stderr}"
    got = sh(exe + args, env=env, cwd=cwd)
    assert (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr), args


# ---------------------------------------------------------------- metadata


def test_metadata_identical_record_valid_and_twine_clean(wheels, tools):
    metas = []
    for path in wheels.values():
        assert verify_wheel(str(path)) == []
        with zipfile.ZipFile(path) as z:
            metas.append(z.read("ai_blame-" + path.name.split("-")[1] + ".dist-info/METADATA"))
    assert metas[0] == metas[1]
    text = metas[0].decode()
    version = json.loads((ROOT / "package.json").read_text())["version"]
    for field in ("Name: ai-blame", f"Version: {version}", "License-Expression: MIT", "Requires-Python: >=3.8",
                  "Project-URL: Source, ", "Classifier: Environment :: Console"):
        assert field in text
    assert "Requires-Dist" not in text
    ok([tools["twine"], "check", "--strict"] + list(wheels.values()))


def test_sea_wheel_layout_and_platform_tag(wheels):
    path = wheels["sea"]
    version = path.name.split("-")[1]
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(f"ai_blame-{version}.data/scripts/ai-blame")
        assert (info.external_attr >> 16) & 0o777 == 0o755
        assert z.read(info.filename)[:4] == b"\x7fELF"
        wheel_file = z.read(f"ai_blame-{version}.dist-info/WHEEL").decode()
    built = HERE / "build" / "sea-linux-x64" / "ai-blame"
    needed = {int(m) for m in re.findall(r"\bGLIBC_2\.(\d+)\b", ok(["objdump", "-T", built]).stdout)}
    tag = f"manylinux_2_{max(needed)}_x86_64"
    assert path.name.endswith(f"-py3-none-{tag}.whl") and f"Tag: py3-none-{tag}" in wheel_file
    assert "Root-Is-Purelib: false" in wheel_file


# ---------------------------------------------------------------- installs


@pytest.fixture(scope="session")
def pip_sea(work, wheels, base_env) -> Path:
    env_dir = work / "pip-sea"
    venv.create(env_dir, with_pip=True)
    started = time.monotonic()
    ok([env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheels["sea"]], env=base_env)
    print(f"pip install (SEA wheel): {time.monotonic() - started:.2f} s")
    return env_dir


@pytest.fixture(scope="session")
def uv_sea(work, wheels, tools, base_env) -> Path:
    env_dir = work / "uv-sea"
    ok([tools["uv"], "venv", "-q", "--python", sys.executable, env_dir], env=base_env)
    started = time.monotonic()
    ok([tools["uv"], "pip", "install", "-q", "--offline", "--python", env_dir / "bin" / "python", wheels["sea"]],
       env=base_env)
    print(f"uv pip install (SEA wheel): {time.monotonic() - started:.2f} s")
    return env_dir


@pytest.fixture(scope="session")
def uv_tool_sea(work, wheels, tools, base_env) -> Path:
    env = dict(base_env, UV_TOOL_DIR=str(work / "uv-tools"), UV_TOOL_BIN_DIR=str(work / "uv-tool-bin"))
    ok([tools["uv"], "tool", "install", "-q", "--offline", "--python", sys.executable, wheels["sea"]], env=env)
    return work / "uv-tool-bin"


@pytest.fixture(scope="session")
def pip_any(work, wheels, base_env) -> Path:
    env_dir = work / "pip-any"
    venv.create(env_dir, with_pip=True)
    ok([env_dir / "bin" / "python", "-m", "pip", "install", "-q", wheels["any"]], env=base_env)
    return env_dir


@pytest.mark.parametrize("installer", ["pip_sea", "uv_sea", "uv_tool_sea"])
def test_sea_runs_without_node_like_the_npm_cli(installer, request, example, nodeless_bin, base_env):
    where = request.getfixturevalue(installer)
    bindir = where if installer == "uv_tool_sea" else where / "bin"
    exe = bindir / "ai-blame"
    assert exe.read_bytes()[:4] == b"\x7fELF", "the installed ai-blame must be the executable itself"
    env = env_without_node(base_env, nodeless_bin, bindir)
    cwd, home = example["project"], str(example["home"])
    for args in (["--version"], ["stats", "--home", home]) + tuple(
            ["blame", str(f), "--home", home] for f in example["files"]):
        assert_same_as_npm([exe], args, env, base_env, cwd)


def test_python_dash_m_runs_the_executable(pip_sea, uv_sea, example, nodeless_bin, base_env):
    for env_dir in (pip_sea, uv_sea):
        env = env_without_node(base_env, nodeless_bin, env_dir / "bin")
        args = ["stats", "--home", str(example["home"])]
        assert_same_as_npm([env_dir / "bin" / "python", "-m", "ai_blame"], args, env, base_env, example["project"])


def test_python_dash_m_finds_the_executable_for_target_prefix_and_user_installs(work, wheels, nodeless_bin, base_env):
    base_python = getattr(sys, "_base_executable", sys.executable)
    pip = [base_python, "-m", "pip", "install", "-q", "--no-index", "--no-warn-script-location"]
    schemes = work / "schemes"
    user_base = schemes / "userbase"
    env = env_without_node(base_env, nodeless_bin)
    env["PYTHONUSERBASE"] = str(user_base)
    site = ok([base_python, "-c", "import sysconfig; print(sysconfig.get_path('purelib', vars={'base': 'B'}))"],
              env=env).stdout.strip()
    ok(pip + ["--target", schemes / "target", wheels["sea"]], env=env)
    ok(pip + ["--prefix", schemes / "prefix", wheels["sea"]], env=env)
    ok(pip + ["--user", wheels["sea"]], env=env)
    want = npm_cli(["--version"], dict(base_env), work).stdout
    user_site = ok([base_python, "-c", "import site; print(site.getusersitepackages())"], env=env).stdout.strip()
    for path in (schemes / "target", schemes / "prefix" / os.path.relpath(site, "B"), Path(user_site)):
        assert (path / "ai_blame" / "__main__.py").is_file(), path
        got = ok([base_python, "-m", "ai_blame", "--version"], env=dict(env, PYTHONPATH=str(path)), cwd=work)
        assert got.stdout == want, path


def test_uvx_from_wheel(wheels, tools, nodeless_bin, base_env, work):
    env = env_without_node(base_env, nodeless_bin)
    env["UV_TOOL_DIR"] = str(work / "uvx-tools")
    got = ok([tools["uvx"], "--offline", "--python", sys.executable, "--from", wheels["sea"], "ai-blame", "--version"],
             env=env)
    assert got.stdout == npm_cli(["--version"], dict(base_env), work).stdout


def test_uv_add_dev_locks_every_wheel_and_runs_without_node(work, wheels, tools, nodeless_bin, base_env):
    project = work / "uv-project"
    project.mkdir()
    env = env_without_node(base_env, nodeless_bin)
    ok([tools["uv"], "init", "-q", "--bare", "--python", sys.executable, project], env=env)
    ok([tools["uv"], "add", "-q", "--dev", "ai-blame", "--offline", "--no-index", "--find-links", DIST], env=env,
       cwd=project)
    lock = (project / "uv.lock").read_text()
    assert wheels["sea"].name in lock and wheels["any"].name in lock
    got = ok([tools["uv"], "run", "-q", "--offline", "ai-blame", "--version"], env=env, cwd=project)
    assert got.stdout == npm_cli(["--version"], dict(base_env), work).stdout
    assert (project / ".venv" / "bin" / "ai-blame").read_bytes()[:4] == b"\x7fELF"


def test_installers_prefer_the_platform_wheel(work, wheels, tools, base_env):
    for name, install in (
        ("pip", lambda d: [d / "bin" / "python", "-m", "pip", "install", "-q", "--no-index", "--find-links",
                           DIST, "ai-blame"]),
        ("uv", lambda d: [tools["uv"], "pip", "install", "-q", "--offline", "--python", d / "bin" / "python",
                          "--no-index", "--find-links", DIST, "ai-blame"]),
    ):
        env_dir = work / f"prefer-{name}"
        venv.create(env_dir, with_pip=(name == "pip"))
        ok(install(env_dir), env=base_env)
        assert (env_dir / "bin" / "ai-blame").read_bytes()[:4] == b"\x7fELF", name


# ---------------------------------------------------------------- SEA guards and LSP


def test_sea_ignores_node_options(pip_sea, nodeless_bin, base_env, work):
    marker = work / "injected"
    inject = work / "inject.js"
    inject.write_text(f"require('fs').writeFileSync({json.dumps(str(marker))}, 'x')\n")
    env = env_without_node(base_env, nodeless_bin, pip_sea / "bin")
    for options in (f"--require {inject}", "--require ./no-such-preload.cjs"):
        env["NODE_OPTIONS"] = options
        got = ok([pip_sea / "bin" / "ai-blame", "--version"], env=env, cwd=work)
        assert got.stdout == npm_cli(["--version"], dict(base_env), work).stdout
    assert not marker.exists()


def test_sea_refuses_to_be_forked_with_a_script(pip_sea, work, base_env):
    child = work / "child.js"
    child.write_text("console.log('child ran')\n")
    code = ("const c = require('child_process').fork(process.argv[1], [], {execPath: process.argv[2], silent: true});"
            "let err = ''; c.stderr.on('data', (d) => err += d); c.stdout.on('data', (d) => process.stdout.write(d));"
            "c.on('exit', (code) => { console.log(JSON.stringify({code, err})); });")
    got = ok([system_node(), "-e", code, child, pip_sea / "bin" / "ai-blame"], env=base_env, timeout=30)
    result = json.loads(got.stdout.strip().splitlines()[-1])
    assert result["code"] == 70 and "cannot run" in result["err"] and "child ran" not in got.stdout


def _lsp_message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _read_lsp_message(stream) -> dict:
    headers = {}
    while True:
        line = stream.readline()
        assert line, "the server closed stdout before answering"
        if line in (b"\r\n", b"\n"):
            break
        key, _, value = line.decode().partition(":")
        headers[key.strip().lower()] = value.strip()
    return json.loads(stream.read(int(headers["content-length"])))


def test_lsp_stdio_answers_initialize(pip_sea, example, nodeless_bin, base_env):
    env = env_without_node(base_env, nodeless_bin, pip_sea / "bin")
    proc = subprocess.Popen([pip_sea / "bin" / "ai-blame", "lsp", "--stdio"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=example["project"])
    try:
        root = example["project"].as_uri()
        proc.stdin.write(_lsp_message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": root, "capabilities": {},
            "workspaceFolders": [{"uri": root, "name": "project"}]}}))
        proc.stdin.flush()
        while True:
            msg = _read_lsp_message(proc.stdout)
            if msg.get("id") == 1:
                break
        assert "capabilities" in msg["result"], msg
        assert msg["result"]["capabilities"].get("hoverProvider"), msg
        proc.stdin.write(_lsp_message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        proc.stdin.write(_lsp_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        proc.stdin.flush()
        while _read_lsp_message(proc.stdout).get("id") != 2:
            pass
        proc.stdin.write(_lsp_message({"jsonrpc": "2.0", "method": "exit"}))
        proc.stdin.close()
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------- the pure fallback wheel


def test_any_wheel_without_node_fails_in_one_clear_line(pip_any, nodeless_bin, base_env, work):
    env = env_without_node(base_env, nodeless_bin, pip_any / "bin")
    for cmd in ([pip_any / "bin" / "ai-blame", "--version"], [pip_any / "bin" / "python", "-m", "ai_blame", "stats"]):
        got = sh(cmd, env=env, cwd=work)
        assert got.returncode != 0 and got.stdout == ""
        assert got.stderr.count("\n") == 1 and "no Node.js found" in got.stderr and "Traceback" not in got.stderr


def test_any_wheel_with_node_matches_the_npm_cli(pip_any, example, nodeless_bin, base_env, work):
    node_dir = work / "only-node"
    node_dir.mkdir(exist_ok=True)
    if not (node_dir / "node").exists():
        (node_dir / "node").symlink_to(system_node())
    env = env_with_path(base_env, nodeless_bin, pip_any / "bin", node_dir)
    env["NODE_OPTIONS"] = "--require ./no-such-preload.cjs"  # dropped by the launcher, as the SEA ignores it
    cwd, home = example["project"], str(example["home"])
    for args in (["--version"], ["stats", "--home", home], ["blame", str(example["files"][0]), "--home", home]):
        assert_same_as_npm([pip_any / "bin" / "ai-blame"], args, env, base_env, cwd)
    assert_same_as_npm([pip_any / "bin" / "python", "-m", "ai_blame"], ["--version"], env, base_env, cwd)


def test_any_wheel_refuses_old_node(pip_any, nodeless_bin, base_env, work):
    fake = work / "old-node"
    fake.mkdir(exist_ok=True)
    script = fake / "node"
    # A stand-in "Node 18": the real node with process.versions patched before the launcher's preload runs.
    patch = fake / "v18.js"
    patch.write_text("Object.defineProperty(process.versions, 'node', {value: '18.20.0'});\n")
    script.write_text(f"#!/bin/sh\nexec {system_node()} --require {patch} \"$@\"\n")
    script.chmod(0o755)
    env = env_with_path(base_env, nodeless_bin, pip_any / "bin", fake)
    got = sh([pip_any / "bin" / "ai-blame", "--version"], env=env, cwd=work)
    assert got.returncode == 1 and got.stdout == "" and "needs Node.js >= 20" in got.stderr


# ---------------------------------------------------------------- release assets and install.sh


def test_install_sh_installs_the_single_executable_from_a_release_server(wheels, work, nodeless_bin, base_env):
    """The release's binary asset (scripts/release-binary.sh) and SHA256SUMS (scripts/release-checksums.sh), served
    over HTTP as a GitHub release serves them: install.sh installs it, checks it, and the installed `ai-blame
    --version` runs with no node anywhere; a corrupted asset is refused and nothing is installed."""
    import functools
    import http.server
    import threading

    assets = work / "release-assets"
    assets.mkdir()
    built = Path(ok(["bash", ROOT / "scripts" / "release-binary.sh", "linux-x64"]).stdout.strip().splitlines()[-1])
    shutil.copy(ROOT / built, assets / "ai-blame-linux-x64")
    shutil.copy(ROOT / "install.sh", assets / "install.sh")
    ok(["bash", ROOT / "scripts" / "release-checksums.sh", assets])
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(assets))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        version = json.loads((ROOT / "package.json").read_text())["version"]
        env = env_without_node(base_env, nodeless_bin)
        target = work / "installed" / "bin"
        env.update({"AI_BLAME_DOWNLOAD_URL": url, "AI_BLAME_INSTALL_DIR": str(target)})
        script = ok(["curl", "-LsSf", f"{url}/install.sh"]).stdout
        proc = sh(["sh"], env=env, input=script)
        assert proc.returncode == 0, proc.stderr
        assert f"installed ai-blame {version} to {target}/ai-blame" in proc.stderr
        assert ok([target / "ai-blame", "--version"], env=env).stdout == f"ai-blame {version}\n"

        data = bytearray((assets / "ai-blame-linux-x64").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (assets / "ai-blame-linux-x64").write_bytes(bytes(data))
        fresh = work / "installed-corrupt" / "bin"
        env["AI_BLAME_INSTALL_DIR"] = str(fresh)
        refused = sh(["sh", ROOT / "install.sh"], env=env)
        assert refused.returncode == 1 and "checksum mismatch for ai-blame-linux-x64" in refused.stderr, refused.stderr
        assert not (fresh / "ai-blame").exists()
    finally:
        server.shutdown()
