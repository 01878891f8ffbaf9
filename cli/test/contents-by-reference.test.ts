// Large file contents stay in their trace until needed (the index keeps a reference), through the built CLI on real
// Claude traces: blame gives what reading them at once gives (the after of each Edit derived by replay), the first
// blame copies what it read so the trace can go, `gc` copies everything pending, a trace nearing Claude Code's
// deletion age (cleanupPeriodDays) is copied at refresh, and bytes that changed under a reference read as unavailable.

import { readFileSync, rmSync, utimesSync, writeFileSync, statSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

/** A 700-line module (~30 KB, over the size from which contents are referenced), and a run of Edits of it. */
function bigProject(): { p: TestProject; trace: string; final: string } {
  const p = makeProject();
  const file = p.path("src/big.py");
  let text = `${Array.from({ length: 700 }, (_, i) => `def step_${i}(x):\n    return x + ${i}  # "quoted" \\ text`).join("\n")}\n`;
  const session = new ClaudeSession(p.project).prompt("write the big module").write(file, text);
  for (const [i, n] of [[10, 1], [300, 2], [650, 3]] as const) {
    const old = `    return x + ${i}  #`;
    const next = `    return x * ${n} + ${i}  # edit ${n} é`;
    session.edit(file, text, old, next);
    text = text.replace(old, next);
  }
  const final = text.replace("def step_500(x):", "def step_500(x):  # by hand");
  p.file("src/big.py", final);
  return { p, trace: session.save(p.home), final };
}

async function blame(p: TestProject, extra: string[] = []): Promise<{ json: BlameJson; stderr: string }> {
  const r = await p.run(["blame", "src/big.py", "--json", ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout) as BlameJson, stderr: r.stderr };
}

async function gc(p: TestProject): Promise<{ copied: number; unavailable: number }> {
  const r = await p.run(["gc", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { copied: number; unavailable: number };
}

async function stats(p: TestProject): Promise<number> {
  const r = await p.run(["stats", "--json"]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { events: number }).events;
}

describe("contents by reference", () => {
  it("leaves large contents in the trace at first sight, and blames as reading them at once does", async () => {
    const { p } = bigProject();
    const eager = await blame(p, ["--no-cache"]);
    expect(await stats(p)).toBe(4);
    // The three Edits' pre-edit files were referenced, not copied: gc finds them pending.
    expect(await gc(p)).toEqual({ copied: 3, unavailable: 0 });
    expect(await gc(p)).toEqual({ copied: 0, unavailable: 0 });
    expect((await blame(p)).json).toEqual(eager.json);
    const owners = eager.json.lines.filter((l) => l.text.includes("# edit ")).map((l) => l.owner?.toolCallId.slice(0, 8));
    expect(owners).toEqual(["toolu_02", "toolu_03", "toolu_04"]);
    expect(eager.json.lines.find((l) => l.text.includes("# by hand"))?.reason).toBe("changed-after-ai");
    // annotate's plan compares the file with the text after its last edit: derived here, recorded with --no-cache.
    const report = await p.run(["report", "--json"]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toBe((await p.run(["report", "--json", "--no-cache"])).stdout);
  });

  it("the first blame copies what it read: after the trace is deleted, blame is unchanged, cold and warm", async () => {
    const { p, trace } = bigProject();
    expect(await stats(p)).toBe(4);
    const first = await blame(p);
    expect(await gc(p)).toEqual({ copied: 0, unavailable: 0 });
    rmSync(trace);
    expect((await blame(p)).json).toEqual(first.json);
    expect((await blame(p)).json).toEqual(first.json);
    expect(await stats(p)).toBe(4);
  });

  it("any command that reads contents copies them (report blames the file to plan its history)", async () => {
    const { p } = bigProject();
    expect(await stats(p)).toBe(4);
    expect((await p.run(["report", "--json"])).code).toBe(0);
    expect(await gc(p)).toEqual({ copied: 0, unavailable: 0 });
  });

  it("gc copies every pending content, so the edits blame exactly after their trace is deleted", async () => {
    const { p, trace } = bigProject();
    const eager = await blame(p, ["--no-cache"]);
    expect(await stats(p)).toBe(4);
    expect((await p.run(["gc"])).stdout).toBe("Copied 3 file contents from trace files into the index.\n");
    rmSync(trace);
    expect((await blame(p)).json).toEqual(eager.json);
  });

  it("a trace nearing Claude Code's deletion age is copied at refresh; a younger one is not", async () => {
    const old = bigProject();
    const young = bigProject();
    const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(old.trace, fortyDaysAgo, fortyDaysAgo);
    utimesSync(young.trace, fortyDaysAgo, fortyDaysAgo);
    // Here the user keeps sessions for a year: 40 days is far from it.
    mkdirSync(join(young.p.home, ".claude"), { recursive: true });
    writeFileSync(join(young.p.home, ".claude", "settings.json"), JSON.stringify({ cleanupPeriodDays: 365 }));
    const eager = await blame(old.p, ["--no-cache"]);
    expect(await stats(old.p)).toBe(4);
    expect(await stats(young.p)).toBe(4);
    expect(await gc(old.p)).toEqual({ copied: 0, unavailable: 0 });
    expect(await gc(young.p)).toEqual({ copied: 3, unavailable: 0 });
    rmSync(old.trace);
    expect((await blame(old.p)).json).toEqual(eager.json);
  });

  it("contents never copied are unavailable once the trace is deleted: the edits stay, blame says so and replays", async () => {
    const { p, trace } = bigProject();
    const eager = await blame(p, ["--no-cache"]);
    expect(await stats(p)).toBe(4);
    rmSync(trace);
    expect(await stats(p)).toBe(4);
    const late = await blame(p, ["-v"]);
    expect(late.stderr).toContain("are not available");
    expect(late.json.lines.map((l) => l.text)).toEqual(eager.json.lines.map((l) => l.text));
    // The Write's own content was stored at once, and no one changed the file between the edits: replaying each
    // Edit's patch on it gives the same answer as the recorded texts would.
    expect(late.json.lines.filter((l) => l.owner?.toolCallId.startsWith("toolu_01")).length).toBeGreaterThan(600);
    expect(late.json).toEqual(eager.json);
    expect(await gc(p)).toEqual({ copied: 0, unavailable: 3 });
  });

  it("bytes rewritten under a reference (same size and time) read as unavailable, never as another text", async () => {
    const { p, trace } = bigProject();
    // A whole second: the same modification time can be set again after the rewrite.
    const indexed = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(trace, indexed, indexed);
    expect(await stats(p)).toBe(4);
    const size = statSync(trace).size;
    const lines = readFileSync(trace, "utf8").split("\n");
    // In place, keeping the size and the end of the file: the prompt loses 4 characters and the first Edit's result
    // line gains 4 spaces after its contents, so those contents now start 4 bytes before where the index points.
    const prompt = lines.findIndex((l) => l.includes("write the big module"));
    lines[prompt] = (lines[prompt] ?? "").replace("write the big module", "write the module");
    const edit = lines.findIndex((l) => l.includes('"originalFile":"def step_0'));
    lines[edit] = `${(lines[edit] ?? "").slice(0, -1)}    }`;
    writeFileSync(trace, lines.join("\n"));
    expect(statSync(trace).size).toBe(size);
    utimesSync(trace, indexed, indexed);
    const r = await blame(p, ["-v"]);
    expect(r.stderr).toContain("was rewritten since it was indexed");
    expect(await stats(p)).toBe(4);
  });
});
