// Terminal policy: colour only when stdout is a terminal and NO_COLOR is unset (checked in a real pseudo-terminal
// made by util-linux `script`), verbose logging only with -v and only on stderr, and the progress line's rules
// (terminal only, after about a second, erased at the end) with a fake clock.

import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { CliIo } from "../src/io";
import { createProgress } from "../src/output/progress";
import { makeProject, type TestProject } from "./support/project";
import { cliPath } from "./support/run-cli";
import { ClaudeSession } from "./support/traces";

const hasScript = process.platform === "linux" && spawnSync("sh", ["-c", "command -v script"]).status === 0;

function projectWithEdit(): TestProject {
  const p = makeProject();
  new ClaudeSession(p.project).prompt("write it").write(p.path("a.py"), "x = 1\ny = 2\n").save(p.home);
  p.file("a.py", "x = 1\ny = 2\nz = 3\n");
  return p;
}

/** Runs the CLI with stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function inTerminal(p: TestProject, args: string[], env: Record<string, string> = {}, columns?: number): string {
  const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  // `script`'s terminal has no size (0 columns) unless one is set inside it.
  const command = columns === undefined ? quoted : `stty cols ${columns} && ${quoted}`;
  const r = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: p.project,
    encoding: "utf8",
    // The pager has tests of its own (pager.test.ts); here the command writes to the terminal itself.
    env: { PATH: process.env["PATH"], HOME: p.home, AI_BLAME_DATA_DIR: p.data, TERM: "xterm", AI_BLAME_PAGER: "", ...env },
    timeout: 30_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("terminal output", () => {
  it.runIf(hasScript)("colours blame and timeline on a terminal, never with NO_COLOR", () => {
    const p = projectWithEdit();
    const blame = inTerminal(p, ["blame", "a.py"]);
    expect(blame).toMatch(/\x1b\[\d+m[0-9a-f]{8}/);
    expect(blame).toMatch(/\x1b\[2m-/);
    expect(inTerminal(p, ["timeline"])).toContain("\x1b[32mCREATED");
    const plain = inTerminal(p, ["blame", "a.py"], { NO_COLOR: "1" });
    expect(plain).not.toContain("\x1b[");
    expect(plain).toContain("| y = 2");
  });

  it.runIf(hasScript)("wraps transcript text to the terminal's width, 80 columns when it has none", () => {
    const p = makeProject();
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const s = new ClaudeSession(p.project).prompt(words).write(p.path("a.py"), "x = 1\n");
    s.save(p.home);
    const lines = (columns?: number) =>
      inTerminal(p, ["transcript", "view", s.sessionId], { NO_COLOR: "1" }, columns).split(/\r?\n/).filter((l) => l.startsWith("word"));
    const narrow = lines(60);
    expect(narrow.length).toBeGreaterThan(3);
    expect(Math.max(...narrow.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(narrow.join(" ")).toBe(words);
    const unsized = lines();
    expect(Math.max(...unsized.map((l) => l.length))).toBeGreaterThan(60);
    expect(Math.max(...unsized.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(unsized.join(" ")).toBe(words);
  });

  it("never colours piped output", async () => {
    const p = projectWithEdit();
    const r = await p.run(["blame", "a.py"], { env: { NO_COLOR: undefined } });
    expect(r.stdout).not.toContain("\x1b[");
  });

  it("logs to stderr only with -v, leaving stdout unchanged; a warm run reads nothing again", async () => {
    const p = projectWithEdit();
    const cold = await p.run(["stats", "--json", "-v"]);
    expect(cold.stderr).toMatch(/^ai-blame: info: indexed 1 trace file \(1 read, \d+ bytes, 1 new event, 0 skipped lines\) in \d+ ms$/m);
    const quiet = await p.run(["stats", "--json"]);
    expect(quiet.stderr).toBe("");
    expect(quiet.stdout).toBe(cold.stdout);
    const warm = await p.run(["stats", "--json", "-v"]);
    expect(warm.stderr).toMatch(/^ai-blame: info: indexed 1 trace file \(0 read, 0 bytes, 0 new events, 0 skipped lines\)/m);
  });
});

describe("progress line", () => {
  function fakeIo(stderrIsTTY: boolean): { io: CliIo; err: string[] } {
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: () => undefined },
      stderr: { write: (t) => void err.push(t) },
      isTTY: false,
      stderrIsTTY,
      color: false,
      width: 80,
      env: {},
      cwd: "/",
    };
    return { io, err };
  }
  const step = { filesDone: 3, filesTotal: 10, bytesDone: 5 * 1024 * 1024, bytesTotal: 20 * 1024 * 1024 };

  it("appears on a terminal after a second and is erased at the end", () => {
    let now = 0;
    const { io, err } = fakeIo(true);
    const progress = createProgress(io, () => now);
    now = 500;
    progress.update(step);
    expect(err).toEqual([]);
    now = 1200;
    progress.update(step);
    expect(err).toEqual(["\r\x1b[KIndexing traces: 3/10 files, 5.0/20.0 MB (25%)"]);
    now = 1250;
    progress.update(step);
    expect(err).toHaveLength(1);
    progress.done();
    expect(err[1]).toBe("\r\x1b[K");
  });

  it("names what it is doing: transcript listing says so instead of indexing", () => {
    let now = 0;
    const { io, err } = fakeIo(true);
    const progress = createProgress(io, () => now, "Reading transcripts");
    now = 1500;
    progress.update(step);
    expect(err).toEqual(["\r\x1b[KReading transcripts: 3/10 files, 5.0/20.0 MB (25%)"]);
  });

  it("stays silent when stderr is not a terminal, and quick runs erase nothing", () => {
    let now = 0;
    const piped = fakeIo(false);
    const progress = createProgress(piped.io, () => now);
    now = 5000;
    progress.update(step);
    progress.done();
    expect(piped.err).toEqual([]);
    const quick = fakeIo(true);
    const fast = createProgress(quick.io, () => 0);
    fast.update(step);
    fast.done();
    expect(quick.err).toEqual([]);
  });
});
