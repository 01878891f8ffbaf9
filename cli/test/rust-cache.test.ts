// A leftover cache of the Rust ai-blame (`.ai-blame.ddb` in the project or in the project's trace folders) is told
// about once per project, on stderr, with the command that removes it; the next run says nothing (the data folder
// remembers the project), the file itself is never touched, and the output on stdout is unchanged.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject } from "./support/project";
import { ClaudeSession, CodexSession, claudeProjectFolder } from "./support/traces";

describe("leftover .ai-blame.ddb of the Rust tool", () => {
  it("is named once per project with how to remove it, and left in place", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("write main").write(p.path("main.py"), "print('hi')\n").save(p.home);
    new CodexSession(p.project).prompt("add a readme").applyPatch(`*** Add File: ${p.path("README.md")}\n+# Demo\n`).save(p.home);
    const inProject = p.file(".ai-blame.ddb", "DUCK");
    const inTraces = join(p.home, ".claude", "projects", claudeProjectFolder(p.project), ".ai-blame.ddb");
    writeFileSync(inTraces, "DUCK");
    const inCodex = join(p.home, ".codex", "sessions", ".ai-blame.ddb");
    writeFileSync(inCodex, "DUCK");

    const first = await p.run(["stats"]);
    expect(first.code).toBe(0);
    const notes = first.stderr.split("\n").filter((l) => l.includes(".ai-blame.ddb"));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^ai-blame: note: the Rust ai-blame's cache is not used by this version; remove it with: rm /);
    for (const file of [inProject, inTraces, inCodex]) expect(notes[0]).toContain(file);

    const second = await p.run(["stats"]);
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain(".ai-blame.ddb");
    expect(second.stdout).toBe(first.stdout);
    for (const file of [inProject, inTraces, inCodex]) expect(existsSync(file)).toBe(true);
  });

  it("says nothing without a leftover, and nothing with --no-cache (nowhere to remember it)", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("write main").write(p.path("main.py"), "print('hi')\n").save(p.home);
    expect((await p.run(["stats"])).stderr).toBe("");
    p.file(".ai-blame.ddb", "DUCK");
    expect((await p.run(["stats", "--no-cache"])).stderr).toBe("");
    expect((await p.run(["stats"])).stderr).toContain(`rm ${p.path(".ai-blame.ddb")}`);
  });

  it("quotes a path the shell would split", async () => {
    const p = makeProject();
    const odd = join(p.root, "it's a project");
    mkdirSync(odd);
    writeFileSync(join(odd, ".ai-blame.ddb"), "DUCK");
    const r = await p.run(["stats", "--dir", odd]);
    expect(r.stderr).toContain(`rm '${join(p.root, "it'\\''s a project")}/.ai-blame.ddb'`);
  });
});
