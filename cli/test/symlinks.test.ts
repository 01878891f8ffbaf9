// Symlinks in the agents' folders, through the built CLI: a Claude project folder that is a symlink to `/` or to a
// folder of unrelated JSONL files takes in nothing that does not record the project as its cwd and does not walk
// the filesystem deep; a symlink loop ends; a project folder moved to another disk and symlinked back still counts.

import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, type TestProject } from "./support/project";
import { claudeProjectFolder, ClaudeSession } from "./support/traces";

async function stats(p: TestProject): Promise<{ events: number; traceFiles: number }> {
  const r = await p.run(["stats", "--json"], { timeoutMs: 60_000 });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return JSON.parse(r.stdout) as { events: number; traceFiles: number };
}

/** A Claude trace with one Write of `file`, written to `path`, recording `cwd` (or no cwd at all). */
function foreignTrace(path: string, file: string, cwd: string | null): void {
  const session = new ClaudeSession(cwd ?? "/nowhere").prompt("unrelated").write(file, "x\n");
  let text = session.jsonl();
  if (cwd === null) text = text.replaceAll('"cwd":"/nowhere",', "");
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
}

describe("symlinks in the agents' folders", () => {
  it("a project folder symlinked to unrelated files, to / and in a loop takes in only the project's traces", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("real work").write(p.path("src/a.ts"), "export const a = 1;\n").save(p.home);
    const projects = join(p.home, ".claude", "projects");
    // Elsewhere on disk: JSONL files that record no cwd (shallow and deep), and one of the project deep down.
    const elsewhere = join(p.root, "elsewhere");
    foreignTrace(join(elsewhere, "logs.jsonl"), p.path("src/no-cwd-shallow.ts"), null);
    foreignTrace(join(elsewhere, "a", "b", "c", "d", "old.jsonl"), p.path("src/no-cwd-deep.ts"), null);
    foreignTrace(join(elsewhere, "a", "b", "c", "d", "e", "mine.jsonl"), p.path("src/deep-mine.ts"), p.project);
    // The exact spelling of the project's folder name, with a suffix Claude uses for long paths, as symlinks out.
    const exact = claudeProjectFolder(p.project);
    symlinkSync(elsewhere, join(projects, `${exact}-old`));
    symlinkSync("/", join(projects, `${exact}-root`));
    // A loop inside the real folder.
    symlinkSync(join(projects, exact), join(projects, exact, "loop"));
    const result = await stats(p);
    expect(result.events).toBe(1);
    expect(result.traceFiles).toBe(1);
  });

  it("an exactly named project folder symlinked to elsewhere counts only files that record the project", async () => {
    const p = makeProject();
    const moved = join(p.root, "other-disk", "claude-project");
    const projects = join(p.home, ".claude", "projects");
    mkdirSync(projects, { recursive: true });
    // The user moved the project's Claude folder to another disk and symlinked it back under its exact name.
    new ClaudeSession(p.project).prompt("real work").write(p.path("src/a.ts"), "export const a = 1;\n").save(join(p.root, "scratch"));
    const session = new ClaudeSession(p.project).prompt("more work").write(p.path("src/b.ts"), "export const b = 1;\n");
    mkdirSync(moved, { recursive: true });
    writeFileSync(join(moved, `${session.sessionId}.jsonl`), session.jsonl());
    foreignTrace(join(moved, "stray.jsonl"), p.path("src/stray.ts"), null);
    symlinkSync(moved, join(projects, claudeProjectFolder(p.project)));
    const result = await stats(p);
    expect(result.events).toBe(1);
    expect(result.traceFiles).toBe(1);
  });
});
