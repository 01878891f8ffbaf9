// Parser robustness through the built CLI: a Claude Edit of a 200k-line CRLF file (replayed from its hunks) once
// overflowed the stack and stopped the trace at that line on every run, and a 100k-deep nested MultiEdit input
// once stopped the index from ever saving. Both now index the edit (or skip the line), keep the edits after it,
// and save.

import { appendFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

async function stats(run: () => Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<{ events: number; skippedLines: number; files: number; stderr: string }> {
  const r = await run();
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return { ...(JSON.parse(r.stdout) as { events: number; skippedLines: number; files: number }), stderr: r.stderr };
}

describe("parser robustness", () => {
  it("indexes an Edit of a 200k-line CRLF file replayed from its hunks, and the edits after it", async () => {
    const p = makeProject();
    const file = p.path("src/big.txt");
    let before = "";
    for (let i = 1; i <= 200_000; i++) before += `line ${i}\r\n`;
    const session = new ClaudeSession(p.project)
      .prompt("fix the last lines")
      .edit(file, before, "line 199990\r\n", "line one-nine-nine-nine-nine-zero\r\n")
      .write(p.path("src/after.ts"), "export const after = true;\n");
    // The edit's strings with LF while the file has CRLF (as Claude Code records them): only the hunks apply.
    let text = session.jsonl();
    for (const key of ["oldString", "old_string", "newString", "new_string"]) {
      text = text.replace(new RegExp(`"${key}":"(line [a-z0-9-]+)\\\\r\\\\n"`, "g"), `"${key}":"$1\\n"`);
    }
    expect(text.match(/"old_?[sS]tring":"line 199990\\n"/g)).toHaveLength(2);
    const trace = session.save(p.home);
    writeFileSync(trace, text);
    const first = await stats(() => p.run(["stats", "--json"], { timeoutMs: 60_000 }));
    expect(first.events).toBe(2);
    expect(first.skippedLines).toBe(0);
    p.file("src/big.txt", before.replace("line 199990\r\n", "line one-nine-nine-nine-nine-zero\r\n"));
    const blame = await p.run(["blame", "src/big.txt", "--json"], { timeoutMs: 60_000 });
    expect(blame.code, blame.stderr).toBe(0);
    const lines = (JSON.parse(blame.stdout) as { lines: { line: number; owner: { toolCallId: string } | null }[] }).lines;
    expect(lines).toHaveLength(200_000);
    expect(lines[199_989]?.owner).not.toBeNull();
    expect(lines[199_988]?.owner).toBeNull();
  });

  it("a 100k-deep nested MultiEdit input still pending at the end of the trace does not stop the index saving", async () => {
    const p = makeProject();
    const session = new ClaudeSession(p.project)
      .prompt("nest")
      .write(p.path("src/a.ts"), "export const a = 1;\n")
      .write(p.path("src/b.ts"), "export const b = 1;\n")
      .multiEdit(p.path("src/a.ts"), "export const a = 1;\n", [["a = 1", "a = 2"]]);
    // The MultiEdit's result has not been written yet (the session is running): its call is pending in the state.
    const lines = session.jsonl().trimEnd().split("\n").slice(0, -1);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const call = (lines.at(-1) ?? "").replace('"edits":[', `"edits":[${deep},`);
    expect(call).toContain(deep);
    const trace = session.save(p.home);
    writeFileSync(trace, `${[...lines.slice(0, -1), call].join("\n")}\n`);
    const first = await stats(() => p.run(["stats", "--json", "-v"], { timeoutMs: 60_000 }));
    expect(first.stderr).not.toMatch(/not saved|cannot/);
    expect(first.events).toBe(2);
    // Saved: the record and the parser state are on disk, and a second run reads nothing again.
    expect(readdirSync(join(p.data, "index", "traces"))).toHaveLength(1);
    const second = await stats(() => p.run(["stats", "--json", "-vv"]));
    expect(second.events).toBe(2);
    expect(second.stderr).toMatch(/\(0 read,/);
    // The state with the pending call was saved too: the grown trace is read on from where it stopped.
    const before = readFileSync(trace).length;
    appendFileSync(trace, `${lines.at(-1) ?? ""}\n`);
    const third = await stats(() => p.run(["stats", "--json", "-vv"]));
    expect(third.stderr).toContain(`resumed at ${before}`);
  });
});
