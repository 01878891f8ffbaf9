// `ai-blame stats` and `ai-blame timeline` through the built CLI on a project with a Claude and a Codex session:
// counts, breakdowns, skipped malformed lines, events kept from deleted traces, cache flags, ordering, -n, --since
// and --until, and the JSON contract of both.

import { existsSync, readdirSync, rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { StatsJson, TimelineEntryJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { runCli } from "./support/run-cli";
import { ClaudeSession, CodexSession } from "./support/traces";

/** Two Claude edits (one failed edit ignored), one Codex add; a malformed line and a truncated last line. */
function mixedProject(): { p: TestProject; claudeTrace: string; codex: CodexSession } {
  const p = makeProject();
  const v1 = "print('a')\n";
  const claude = new ClaudeSession(p.project)
    .prompt("make app.py")
    .write(p.path("src/app.py"), v1)
    .failedEdit(p.path("src/app.py"), "zzz", "y")
    .edit(p.path("src/app.py"), v1, "'a'", "'b'");
  const claudeTrace = claude.save(p.home, 'this is not json\n{"type":"assistant","message":{"content":[{"type":"tool_u');
  const codex = new CodexSession(p.project).prompt("add a readme").applyPatch(`*** Add File: ${p.path("README.md")}\n+# Demo\n`);
  codex.save(p.home);
  p.file("src/app.py", "print('b')\n");
  p.file("README.md", "# Demo\n");
  return { p, claudeTrace, codex };
}

describe("stats", () => {
  it("--json follows the contract", async () => {
    const { p } = mixedProject();
    const r = await p.run(["stats", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout) as StatsJson;
    expect(stats).toMatchObject({
      traceFiles: 2,
      sessions: 2,
      events: 3,
      files: 2,
      byModel: { "claude-opus-4-5-20251101": 2, "gpt-5-codex": 1 },
      byAgent: { "claude-code": 2, "codex-cli": 1 },
      eventsFromDeletedTraces: 0,
    });
    expect(stats.skippedLines).toBeGreaterThanOrEqual(1);
  });

  it("prints counts, breakdowns and skipped lines as text; --pattern narrows the files", async () => {
    const { p } = mixedProject();
    const r = await p.run(["stats"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Trace files: 2\nSessions: 2\n\nFiles with edits: 2\nEdit events: 3\n");
    expect(r.stdout).toContain("By model:\n  claude-opus-4-5-20251101  2\n  gpt-5-codex               1\n");
    expect(r.stdout).toContain("By agent:\n  claude-code  2\n  codex-cli    1\n");
    expect(r.stdout).toMatch(/\nSkipped \d+ malformed lines?\n/);
    const narrowed = await p.run(["stats", "-p", "src/"]);
    expect(narrowed.stdout).toContain("Files with edits matching 'src/': 1\nEdit events: 2\n");
    expect(narrowed.stdout).toContain("By agent:\n  claude-code  2\n");
    expect(narrowed.stdout).not.toContain("gpt-5-codex");
  });

  it("--skip-codex and --only-claude drop Codex traces", async () => {
    const { p } = mixedProject();
    for (const flag of ["--skip-codex", "--only-claude"]) {
      const stats = JSON.parse((await p.run(["stats", "--json", flag])).stdout) as StatsJson;
      expect(stats.byAgent, flag).toEqual({ "claude-code": 2 });
    }
  });

  it("keeps events after their trace is deleted, and says so", async () => {
    const { p, claudeTrace } = mixedProject();
    expect((await p.run(["stats"])).code).toBe(0);
    rmSync(claudeTrace);
    const after = JSON.parse((await p.run(["stats", "--json"])).stdout) as StatsJson;
    expect(after.events).toBe(3);
    expect(after.eventsFromDeletedTraces).toBe(2);
    expect((await p.run(["stats"])).stdout).toContain("\n2 events kept from deleted traces\n");
  });

  it("--no-cache and AI_BLAME_NO_CACHE=1 leave the data dir empty and give the same numbers", async () => {
    const { p } = mixedProject();
    const off = await p.run(["stats", "--json", "--no-cache"]);
    const env = await p.run(["stats", "--json"], { env: { AI_BLAME_NO_CACHE: "1" } });
    expect(readdirSync(p.data)).toEqual([]);
    const on = await p.run(["stats", "--json"]);
    expect(readdirSync(p.data).length).toBeGreaterThan(0);
    const rebuilt = await p.run(["stats", "--json", "--rebuild-cache"]);
    for (const r of [off, env, rebuilt]) expect(JSON.parse(r.stdout)).toEqual(JSON.parse(on.stdout));
  });

  it("--help describes --rebuild-cache as what it does: re-reading existing traces, keeping deleted traces' edits", async () => {
    for (const command of ["stats", "timeline", "blame", "report", "annotate", "transcript list", "transcript view"]) {
      const help = (await runCli([...command.split(" "), "--help"])).stdout.replace(/\s+/g, " ");
      expect(help, command).toContain(
        "--rebuild-cache read every existing trace of this project again from the start (edits kept from deleted traces stay)",
      );
      expect(help, command).not.toContain("discard");
    }
  });

  it("--home and --trace-dir point at traces elsewhere; --dir names the project", async () => {
    const { p } = mixedProject();
    const elsewhere = makeProject();
    const viaHome = await elsewhere.run(["stats", "--json", "--home", p.home, "--dir", p.project]);
    expect((JSON.parse(viaHome.stdout) as StatsJson).events).toBe(3);
    const claudeDir = `${p.home}/.claude/projects`;
    expect(existsSync(claudeDir)).toBe(true);
    const folder = readdirSync(claudeDir)[0] ?? "";
    const viaTraceDir = await elsewhere.run(["stats", "--json", "-t", `${claudeDir}/${folder}`, "--dir", p.project]);
    expect(JSON.parse(viaTraceDir.stdout)).toMatchObject({ byAgent: { "claude-code": 2 } });
  });
});

describe("timeline", () => {
  it("--json is the whole list, oldest first, with the contract keys; -n keeps the newest N", async () => {
    const { p, codex } = mixedProject();
    const newest = await p.run(["timeline", "--json", "-n", "1"]);
    expect((JSON.parse(newest.stdout) as TimelineEntryJson[]).map((e) => e.file)).toEqual(["README.md"]);
    const r = await p.run(["timeline", "--json"]);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as TimelineEntryJson[];
    expect(entries.map((e) => [e.file, e.action, e.agent])).toEqual([
      ["src/app.py", "CREATED", "claude-code"],
      ["src/app.py", "EDITED", "claude-code"],
      ["README.md", "CREATED", "codex-cli"],
    ]);
    expect(Object.keys(entries[0] ?? {}).sort()).toEqual(
      ["action", "agent", "agentVersion", "changeSize", "file", "model", "sessionId", "timestamp", "toolCallId"].sort(),
    );
    expect(entries[2]).toMatchObject({ sessionId: codex.sessionId, model: "gpt-5-codex", toolCallId: "call_1" });
  });

  it("prints newest first, honours -n, --since and --until", async () => {
    const { p } = mixedProject();
    const all = await p.run(["timeline"]);
    const rows = all.stdout.split("\n").filter((l) => /^\d{4}-/.test(l));
    expect(rows.map((l) => l.split(/\s{2,}/).slice(1, 3))).toEqual([
      ["CREATED", "README.md"],
      ["EDITED", "src/app.py"],
      ["CREATED", "src/app.py"],
    ]);
    expect(all.stdout).toContain("Showing 3 most recent edits");
    expect(all.stdout.trimEnd().endsWith("Total edits found: 3")).toBe(true);
    const one = await p.run(["timeline", "-n", "1"]);
    expect(one.stdout).toContain("... and 2 more edits (use -n 0 to show all or -n <N> to show more)");
    const since = JSON.parse((await p.run(["timeline", "--json", "--since", "2025-12-29"])).stdout) as TimelineEntryJson[];
    expect(since.map((e) => e.agent)).toEqual(["codex-cli"]);
    const until = JSON.parse((await p.run(["timeline", "--json", "--until", "2025-12-28"])).stdout) as TimelineEntryJson[];
    expect(until.map((e) => e.agent)).toEqual(["claude-code", "claude-code"]);
  });

  it("aligns every row: model and agent columns grow to the longest value shown", async () => {
    const p = makeProject();
    new ClaudeSession(p.project, { model: "claude-sonnet-4-5-20250929", version: "2.0.76-beta.12345" })
      .prompt("make a")
      .write(p.path("a.py"), "a = 1\n")
      .save(p.home);
    new CodexSession(p.project, { model: "gpt-5-codex" }).prompt("make b").applyPatch(`*** Add File: ${p.path("b.py")}\n+b = 1\n`).save(p.home);
    p.file("a.py", "a = 1\n");
    p.file("b.py", "b = 1\n");
    const lines = (await p.run(["timeline"])).stdout.split("\n");
    const header = lines.find((l) => l.startsWith("Timestamp")) ?? "";
    const rows = lines.filter((l) => /^\d{4}-/.test(l));
    expect(rows).toHaveLength(2);
    const agentAt = header.indexOf("Agent");
    expect(header.indexOf("Model")).toBe(rows[0]?.indexOf("gpt-5-codex"));
    expect(rows.map((r) => r.indexOf(r.includes("codex-cli") ? "codex-cli" : "claude-code@"))).toEqual([agentAt, agentAt]);
    expect(rows[1]).toContain("claude-sonnet-4-5-20250929 claude-code@2.0.76-beta.12345");
    const rule = lines[lines.indexOf(header) + 1] ?? "";
    expect(rule).toBe("-".repeat(Math.max(...rows.map((r) => r.length))));
    // With short values the reference's widths stay: model 25, the rule 125.
    const short = await p.run(["timeline", "-n", "1"]);
    expect(short.stdout).toContain(`\n${"-".repeat(125)}\n`);
    expect(short.stdout).toMatch(/ gpt-5-codex {15}codex-cli@0\.46\.0\n/);
  });

  it("says so when there is nothing", async () => {
    const p = makeProject();
    expect(await p.run(["timeline"])).toMatchObject({ code: 0, stdout: "No edits found.\n" });
    expect(await p.run(["timeline", "--json"])).toMatchObject({ code: 0, stdout: "[]\n" });
  });
});
