// The trace settings of the project's .ai-blame.yaml — `agents:` and `agent_trace_files:` — through the built CLI:
// the config narrows the agents read unless agent flags are given, lists extra Agent Trace files, and a broken
// config is a warning for the reading commands (never a silent change of what is read).

import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StatsJson } from "@ai-blame/shared";
import { traceRecord, tracesJsonl } from "../../examples/tools/writers/agent-trace.mjs";
import { runCli, tempDir } from "./support/run-cli";
import { ClaudeSession, CodexSession } from "./support/traces";

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A project with one Claude and one Codex edit, and a run of the CLI in it with a temp home and data folder. */
function project() {
  const root = tempDir();
  const home = join(root, "home");
  const dir = join(root, "app");
  mkdirSync(home, { recursive: true });
  const a = write(join(dir, "a.py"), "a = 1\n");
  write(join(dir, "b.py"), "b = 1\n");
  new ClaudeSession(dir).prompt("Write a.py").write(a, "a = 1\n").save(home);
  new CodexSession(dir).prompt("Write b.py").applyPatch("*** Add File: b.py\n+b = 1\n").save(home);
  const run = (args: string[]) => runCli(args, { cwd: dir, env: { HOME: home, AI_BLAME_DATA_DIR: join(root, "data") } });
  const agents = async (args: string[] = []) => {
    const r = await run(["stats", "--json", ...args]);
    expect(r.code, r.stderr).toBe(0);
    return Object.keys((JSON.parse(r.stdout) as StatsJson).byAgent ?? {}).sort();
  };
  return { dir, run, agents };
}

describe(".ai-blame.yaml trace settings", () => {
  it("agents: narrows the agents read; --agents and --skip-… given on the command line decide instead", async () => {
    const p = project();
    expect(await p.agents()).toEqual(["claude-code", "codex-cli"]);
    write(join(p.dir, ".ai-blame.yaml"), "agents: [codex]\n");
    expect(await p.agents()).toEqual(["codex-cli"]);
    expect(await p.agents(["--agents", "claude"])).toEqual(["claude-code"]);
    expect(await p.agents(["--skip-gemini"])).toEqual(["claude-code", "codex-cli"]);
  });

  it("a misspelt agent is named with its position; reading commands warn and read every agent", async () => {
    const p = project();
    write(join(p.dir, ".ai-blame.yaml"), "agents:\n  - codex\n  - claud\n");
    const report = await p.run(["report"]);
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(/\.ai-blame\.yaml:3:\d+: agents\[1\]: unknown agent \(expected one of claude, codex/);
    const stats = await p.run(["stats", "--json", "-v"]);
    expect(stats.code).toBe(0);
    expect(stats.stderr).toMatch(/ignoring the trace settings of \.ai-blame\.yaml: .*agents\[1\]: unknown agent/);
    expect(Object.keys((JSON.parse(stats.stdout) as StatsJson).byAgent ?? {}).sort()).toEqual(["claude-code", "codex-cli"]);
  });

  it("agent_trace_files: reads Agent Trace records kept elsewhere than .agent-trace/traces.jsonl", async () => {
    const p = project();
    // Record paths are relative to the repository root (Agent Trace), so the project is a git work tree here.
    execFileSync("git", ["init", "-q"], { cwd: p.dir });
    write(join(p.dir, "c.ts"), "export const c = 1;\n");
    const record = traceRecord({
      id: "3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
      timestamp: "2026-02-01T12:00:00.000Z",
      files: [{ path: "c.ts", conversations: [{ contributor: { type: "ai", model_id: "openai/gpt-5.1-codex" }, ranges: [{ start_line: 1, end_line: 1 }] }] }],
    });
    write(join(p.dir, "audit", "ai.jsonl"), tracesJsonl([record]));
    expect(await p.agents()).toEqual(["claude-code", "codex-cli"]);
    write(join(p.dir, ".ai-blame.yaml"), "agent_trace_files:\n  - audit/ai.jsonl\n");
    expect(await p.agents()).toEqual(["agent-trace", "claude-code", "codex-cli"]);
    const blame = await p.run(["blame", "c.ts", "--json"]);
    expect(JSON.parse(blame.stdout).lines[0].owner.model).toBe("gpt-5.1-codex");
  });
});
