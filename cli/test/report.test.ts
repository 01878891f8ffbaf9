// `ai-blame report` through the built CLI: the summary, output plan and YAML previews in the reference's layout
// (sorted by path), `--json`, `--show-all`, the filters, TARGET errors and the "nothing found" messages. The
// report never writes: the project tree is compared byte for byte before and after.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession } from "./support/traces";

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

/** config.yaml created then edited, main.py created, seven small docs; all in one Claude session. */
function reportProject(): TestProject {
  const p = makeProject();
  const config = p.file("config.yaml", "name: demo\nport: 8080\n");
  const main = p.file("src/main.py", "print('hi')\n");
  const s = new ClaudeSession(p.project, { start: "2025-12-28T15:20:00.000Z" }).prompt("Set up the project.");
  s.write(config, "name: demo\nport: 80\n").edit(config, "name: demo\nport: 80\n", "port: 80", "port: 8080");
  s.write(main, "print('hi')\n");
  for (let i = 1; i <= 5; i++) s.write(p.file(`docs/page${i}.md`, `# Page ${i}\n`), `# Page ${i}\n`);
  s.save(p.home);
  return p;
}

describe("report", () => {
  it("prints summary, output plan and the first five previews, and writes nothing", async () => {
    const p = reportProject();
    const before = tree(p.project);
    const r = await p.run(["report"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(tree(p.project)).toEqual(before);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "",
      "=== Summary ===",
      "File                                               | Edits | First Edit           | Last Edit",
      "-".repeat(105),
    ]);
    expect(lines[4]).toMatch(/^config\.yaml {40}\| {5}2 \| 2025-12-28 15:20 {5}\| 2025-12-28 15:2\d$/);
    expect(lines.slice(4, 11).map((l) => l.split(" ")[0])).toEqual([
      "config.yaml", "docs/page1.md", "docs/page2.md", "docs/page3.md", "docs/page4.md", "docs/page5.md", "src/main.py",
    ]);
    expect(r.stdout).toContain(
      "\n\n=== Output Plan ===\nFile                                               | Policy     | destination\n" + "-".repeat(95) + "\n" +
        "config.yaml                                        | append     | in-place\n" +
        "docs/page1.md                                      | sidecar    | docs/page1.history.yaml\n",
    );
    expect(r.stdout).toContain("src/main.py                                        | sidecar    | src/main.history.yaml\n");
    expect(r.stdout).toMatch(
      /\n=== YAML Preview: config\.yaml ===\nedit_history:\n- timestamp: 2025-12-28T15:20:\d\dZ\n {2}model: claude-opus-4-5-20251101\n {2}action: CREATED\n {2}agent_tool: claude-code\n {2}agent_version: 2\.0\.75\n- timestamp: [^\n]+\n {2}model: claude-opus-4-5-20251101\n {2}action: EDITED\n/,
    );
    expect(r.stdout.match(/=== YAML Preview/g)?.length).toBe(5);
    expect(r.stdout.endsWith("\n... and 2 more files (use --show-all to see all)\n")).toBe(true);
    const all = await p.run(["report", "--show-all"]);
    expect(all.stdout.match(/=== YAML Preview/g)?.length).toBe(7);
  });

  it("--json gives the plan as data; --include-session-id adds the session", async () => {
    const p = reportProject();
    const r = await p.run(["report", "--json", "--include-session-id", "config"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { config: string | null; files: Record<string, unknown>[] };
    expect(json.config).toBeNull();
    expect(json.files.length).toBe(1);
    expect(json.files[0]).toMatchObject({ file: "config.yaml", edits: 2, policy: "append", destination: "config.yaml", problem: null, dropped: 0 });
    const history = json.files[0]?.["history"] as Record<string, unknown>[];
    expect(history.map((h) => h["action"])).toEqual(["CREATED", "EDITED"]);
    expect(history[0]).toMatchObject({ model: "claude-opus-4-5-20251101", agentTool: "claude-code", agentVersion: "2.0.75" });
    expect(history[0]?.["sessionId"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("uses the project's config and shows skipped files and files no rule matches", async () => {
    const p = reportProject();
    p.file(".ai-blame.yaml", `rules:\n  - pattern: "docs/**"\n    policy: skip\n  - pattern: "*.yaml"\n    policy: append\n`);
    const r = await p.run(["report"]);
    expect(r.stdout.startsWith(`Using config: "${p.path(".ai-blame.yaml")}"\n`)).toBe(true);
    expect(r.stdout).toContain("docs/page1.md                                      | skip       | (skipped)\n");
    expect(r.stdout).toContain("src/main.py                                        | (none)     | (no matching rule)\n");
  });

  it("--initial-and-recent keeps first and last; a TARGET matching nothing is an error", async () => {
    const p = reportProject();
    const r = await p.run(["report", "--json", "--initial-and-recent", "-m", "1000"]);
    const json = JSON.parse(r.stdout) as { files: { file: string; edits: number }[] };
    expect(json.files.find((f) => f.file === "config.yaml")?.edits).toBe(2);
    const missing = await p.run(["report", "no-such-file"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("ai-blame: error: No history found for: no-such-file\n");
  });

  it("says so when no edits are found, and rejects a bad config with its position", async () => {
    const p = makeProject();
    const none = await p.run(["report"]);
    expect(none).toMatchObject({ code: 0, stdout: "No edits found matching criteria.\n" });
    p.file(".ai-blame.yaml", "rules:\n  - pattern: '*.py'\n    policy: sometimes\n");
    const bad = await p.run(["report"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `ai-blame: error: ${p.path(".ai-blame.yaml")}:3:13: rules[0].policy: expected one of append, sidecar, comment, skip (got "sometimes")\n`,
    );
  });
});
