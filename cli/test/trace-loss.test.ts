// Indexed edits outlive what happens to their trace file, through the built CLI: a trace truncated to 0 bytes, one
// that cannot be read (permission denied) and a truncated .jsonl.zst rollout keep every event indexed from them,
// also after the file is then removed for good.

import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { cliPath, type RunResult } from "./support/run-cli";
import { ClaudeSession, CodexSession } from "./support/traces";

function claudeProject(edits: number): { p: TestProject; trace: string } {
  const p = makeProject();
  const session = new ClaudeSession(p.project).prompt("write the modules");
  for (let i = 0; i < edits; i++) session.write(p.path(`src/m${i}.ts`), `export const m${i} = ${i};\n`);
  return { p, trace: session.save(p.home) };
}

async function events(p: TestProject, run: (args: string[]) => Promise<RunResult> = (a) => p.run(a)): Promise<number> {
  const r = await run(["stats", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return (JSON.parse(r.stdout) as { events: number }).events;
}

/** Runs the CLI as an unprivileged user when this process is root (root reads a `chmod 000` file regardless). */
function runUnprivileged(p: TestProject, args: string[]): Promise<RunResult> {
  if (process.getuid?.() !== 0) return p.run(args);
  const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, cliPath, ...args], {
    cwd: p.project,
    env: { PATH: process.env["PATH"], NO_COLOR: "1", HOME: p.home, AI_BLAME_DATA_DIR: p.data },
    encoding: "utf8",
    timeout: 30_000,
  });
  return Promise.resolve({ code: r.status, stdout: r.stdout, stderr: r.stderr });
}

const hasSetpriv = process.getuid?.() !== 0 || spawnSync("setpriv", ["--version"]).status === 0;
const hasZstd = spawnSync("zstd", ["--version"]).status === 0;

describe("indexed edits survive their trace file", () => {
  it("a trace truncated to 0 bytes keeps its events, also after it is removed", async () => {
    const { p, trace } = claudeProject(5);
    expect(await events(p)).toBe(5);
    truncateSync(trace, 0);
    expect(await events(p)).toBe(5);
    rmSync(trace);
    expect(await events(p)).toBe(5);
  });

  it("a trace rewritten shorter keeps the events it no longer holds", async () => {
    const { p, trace } = claudeProject(5);
    expect(await events(p)).toBe(5);
    const lines = readFileSync(trace, "utf8").split("\n");
    // The prompt and the first two Writes (a call and its result each) stay.
    writeFileSync(trace, `${lines.slice(0, 5).join("\n")}\n`);
    expect(await events(p)).toBe(5);
  });

  it.skipIf(!hasSetpriv)("an unreadable trace (permission denied) keeps its events, also after it is removed", async () => {
    const { p, trace } = claudeProject(4);
    if (process.getuid?.() === 0) {
      // The unprivileged user owns the test's folders, as a user owns their home; the trace is theirs too.
      execFileSync("chown", ["-R", "65534:65534", p.root]);
      chmodSync(p.root, 0o755);
    }
    expect(await events(p, (a) => runUnprivileged(p, a))).toBe(4);
    // It grew (discovery must read its head again), then lost its read permission.
    writeFileSync(trace, `${readFileSync(trace, "utf8")}${JSON.stringify({ type: "summary", summary: "modules", leafUuid: "x" })}\n`);
    chmodSync(trace, 0o000);
    expect(await events(p, (a) => runUnprivileged(p, a))).toBe(4);
    rmSync(trace);
    expect(await events(p, (a) => runUnprivileged(p, a))).toBe(4);
    if (process.getuid?.() === 0) chownSync(p.root, 0, 0);
  });

  it.skipIf(!hasZstd)("a truncated .jsonl.zst keeps every event indexed from it", async () => {
    const p = makeProject();
    const session = new CodexSession(p.project).prompt("add the modules");
    for (let i = 0; i < 12; i++) session.applyPatch(`*** Add File: ${p.path(`src/c${i}.py`)}\n+value = ${i}\n`);
    const plain = session.save(p.home);
    const compressed = `${plain}.zst`;
    // Small blocks, so a truncated file still decompresses a prefix.
    writeFileSync(compressed, execFileSync("zstd", ["-q", "-c", "--no-check", "-B1024", plain]));
    rmSync(plain);
    expect(await events(p)).toBe(12);
    const bytes = readFileSync(compressed);
    writeFileSync(compressed, bytes.subarray(0, Math.floor(bytes.length / 3)));
    expect(await events(p)).toBe(12);
    rmSync(compressed);
    expect(await events(p)).toBe(12);
  });
});
