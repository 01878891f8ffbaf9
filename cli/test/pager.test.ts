// The pager and other terminal manners, in a real pseudo-terminal (python3's pty module): output goes through
// $AI_BLAME_PAGER, else $PAGER, else `less -FRX`; `--no-pager`, an empty value or `cat` turn it off; piped output is
// never paged; errors stay on the terminal with their exit code; `less -FRX` prints short output and exits, and
// holds long output until the user quits it. `ai-blame lsp` started by hand says on stderr what it is.

import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { cliPath } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

const hasPty = process.platform !== "win32" && spawnSync("python3", ["-c", "import pty"]).status === 0;
const hasLess = spawnSync("sh", ["-c", "command -v less"]).status === 0;

/**
 * Runs a command with stdin, stdout and stderr on a 40x150 pseudo-terminal and returns what the terminal showed and
 * the exit code. When the terminal has shown something and then stays silent with the command still running (a pager
 * waiting for its user), `keys` are typed, once; `stopAfter` ends the command once that text has appeared. The
 * whole run is bounded by the spawn timeout.
 */
const DRIVER = `
import os, pty, select, signal, struct, subprocess, sys, fcntl, termios, json
opts = json.loads(sys.argv[1])
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 150, 0, 0))
p = subprocess.Popen(opts["argv"], stdin=slave, stdout=slave, stderr=slave, cwd=opts["cwd"], env=opts["env"], start_new_session=True)
os.close(slave)
out = b""
typed = False
while True:
    ready, _, _ = select.select([master], [], [], 2.0)
    if not ready:
        if p.poll() is not None:
            break
        if not typed and opts.get("keys") and out:
            os.write(master, opts["keys"].encode())
            typed = True
        continue
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
    if opts.get("stopAfter") and opts["stopAfter"].encode() in out:
        os.killpg(p.pid, signal.SIGTERM)
if p.poll() is None:
    os.killpg(p.pid, signal.SIGKILL)
code = p.wait()
sys.stdout.write(json.dumps({"out": out.decode("utf-8", "replace"), "code": code}))
`;

interface TerminalRun {
  out: string;
  code: number;
}

let p: TestProject;

function inTerminal(args: string[], env: Record<string, string> = {}, extra: { keys?: string; stopAfter?: string } = {}): TerminalRun {
  const opts = {
    argv: [process.execPath, cliPath, ...args],
    cwd: p.project,
    env: { PATH: process.env["PATH"] ?? "", HOME: p.home, AI_BLAME_DATA_DIR: p.data, TERM: "xterm", NO_COLOR: "1", ...env },
    ...extra,
  };
  const r = spawnSync("python3", ["-c", DRIVER, JSON.stringify(opts)], { encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  const run = JSON.parse(r.stdout) as TerminalRun;
  return { out: run.out.replace(/\r\n/g, "\n"), code: run.code };
}

const MARK = { AI_BLAME_PAGER: "sed 's/^/PAGED:/'" };

beforeAll(() => {
  p = makeProject();
  const session = new ClaudeSession(p.project).prompt("write the module");
  const lines = Array.from({ length: 120 }, (_, i) => `value_${i} = ${i}`).join("\n");
  session.write(p.path("big.py"), `${lines}\n`).save(p.home);
  p.file("big.py", `${lines}\n`);
});

describe.runIf(hasPty)("on a terminal", () => {
  it("pages output through $AI_BLAME_PAGER", () => {
    const r = inTerminal(["timeline"], MARK);
    expect(r.code).toBe(0);
    const lines = r.out.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/^PAGED:/);
    expect(r.out).toContain("PAGED:=== Timeline of Actions ===");
  });

  it("does not page with --no-pager (before or after the command), an empty pager or cat", () => {
    for (const [args, env] of [
      [["--no-pager", "timeline"], MARK],
      [["timeline", "--no-pager"], MARK],
      [["timeline"], { AI_BLAME_PAGER: "" }],
      [["timeline"], { AI_BLAME_PAGER: "cat", PAGER: "sed 's/^/PAGED:/'" }],
    ] as const) {
      const r = inTerminal([...args], { ...env });
      expect(r.code).toBe(0);
      expect(r.out).toContain("=== Timeline of Actions ===");
      expect(r.out).not.toContain("PAGED:");
    }
  });

  it("uses $PAGER when $AI_BLAME_PAGER is unset, and $AI_BLAME_PAGER over $PAGER", () => {
    expect(inTerminal(["stats"], { PAGER: "sed 's/^/VIA-PAGER:/'" }).out).toContain("VIA-PAGER:Trace files: 1");
    const both = inTerminal(["stats"], { PAGER: "sed 's/^/VIA-PAGER:/'", ...MARK }).out;
    expect(both).toContain("PAGED:Trace files: 1");
    expect(both).not.toContain("VIA-PAGER:");
  });

  it("leaves errors on the terminal, unpaged, with their exit code", () => {
    const r = inTerminal(["blame", "missing.py"], MARK);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ai-blame: error: .*missing\.py/m);
    expect(r.out).not.toContain("PAGED:");
  });

  it.runIf(hasLess)("less -FRX by default: short output is printed at once, long output waits for the user", () => {
    const env = { PATH: process.env["PATH"] ?? "" };
    const short = inTerminal(["stats"], env);
    expect(short.code).toBe(0);
    expect(short.out).toContain("Trace files: 1");
    // 120 lines on a 40-line terminal: the first page, then less waits until `q` is typed.
    const long = inTerminal(["blame", "big.py"], env, { keys: "q" });
    expect(long.code).toBe(0);
    expect(long.out).toContain("| value_0 = 0");
    expect(long.out).not.toContain("| value_119 = 119");
  });

  it("ai-blame lsp started by hand says on stderr that it speaks LSP on stdin/stdout", () => {
    const r = inTerminal(["lsp"], {}, { stopAfter: "Ctrl-C" });
    expect(r.out.split("\n")[0]).toBe(
      "ai-blame lsp: this is the language server; it speaks LSP (JSON-RPC) on stdin/stdout for an editor to start (see docs/editors.md). Ctrl-C to leave.",
    );
  });
});

describe("not on a terminal", () => {
  it("never pages piped output", async () => {
    const r = await p.run(["timeline"], { env: MARK });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("=== Timeline of Actions ===");
    expect(r.stdout).not.toContain("PAGED:");
  });
});
