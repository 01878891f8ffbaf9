// Which project a command is about, through the built CLI in real git repositories: run from a subfolder, a
// worktree, a submodule, outside git (a Claude folder above, or a Codex session recorded above); sessions started
// in a subfolder or in a folder above the project; edits outside the project left out and counted; blame of a file
// of another project; a project moved after its sessions (found by its Claude folder, or mapped with --path-map).

import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BlameJson, StatsJson, TimelineEntryJson } from "@ai-blame/shared";
import { runCli, tempDir } from "./support/run-cli";
import { ClaudeSession, claudeProjectFolder, CodexSession } from "./support/traces";

const APP = "def main():\n    return 0\n";

function git(cwd: string, args: string[]): void {
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd, stdio: "ignore" });
}

/** A temp home and data folder; `run` starts the CLI in `cwd` with them. */
function world() {
  const root = tempDir();
  const home = join(root, "home");
  const data = join(root, "data");
  mkdirSync(home, { recursive: true });
  const run = (cwd: string, args: string[]) => runCli(args, { cwd, env: { HOME: home, AI_BLAME_DATA_DIR: data } });
  return { root, home, run };
}

function write(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
  return path;
}

function ownersOf(stdout: string): Array<string | null> {
  return (JSON.parse(stdout) as BlameJson).lines.map((l) => l.owner?.action ?? l.reason);
}

describe("the project is the repository, wherever the command runs", () => {
  it("from a subfolder of a git repository, FILE stays relative to the current folder", async () => {
    const w = world();
    const repo = join(w.root, "repo");
    const file = write(join(repo, "tasklog", "cli.py"), APP);
    git(repo, ["init", "-q"]);
    new ClaudeSession(repo).prompt("Write the CLI").write(file, APP).save(w.home);
    const r = await w.run(join(repo, "tasklog"), ["blame", "cli.py", "--json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "tasklog/cli.py" });
    expect(ownersOf(r.stdout)).toEqual(["CREATED", "CREATED"]);
    const timeline = await w.run(join(repo, "tasklog"), ["timeline", "--json"]);
    expect((JSON.parse(timeline.stdout) as TimelineEntryJson[]).map((e) => e.file)).toEqual(["tasklog/cli.py"]);
    // --dir still wins: the subfolder is the project, and the session started above it still counts for its files.
    const sub = await w.run(join(repo, "tasklog"), ["blame", "cli.py", "--json", "--dir", "."]);
    expect(JSON.parse(sub.stdout)).toMatchObject({ file: "cli.py" });
    expect(ownersOf(sub.stdout)).toEqual(["CREATED", "CREATED"]);
  });

  it("in a git worktree, the worktree is the project", async () => {
    const w = world();
    const repo = join(w.root, "repo");
    write(join(repo, "README.md"), "hi\n");
    git(repo, ["init", "-q"]);
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "init"]);
    const worktree = join(w.root, "feature");
    git(repo, ["worktree", "add", "-q", worktree]);
    const file = write(join(worktree, "src", "app.py"), APP);
    new ClaudeSession(worktree).prompt("Write the app").write(file, APP).save(w.home);
    const r = await w.run(join(worktree, "src"), ["blame", "app.py", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "src/app.py" });
    expect(ownersOf(r.stdout)).toEqual(["CREATED", "CREATED"]);
  });

  it("in a git submodule, the submodule's work tree is the project", async () => {
    const w = world();
    const lib = join(w.root, "lib");
    write(join(lib, "README.md"), "lib\n");
    git(w.root, ["init", "-q", lib]);
    git(lib, ["add", "."]);
    git(lib, ["commit", "-q", "-m", "init"]);
    const repo = join(w.root, "repo");
    write(join(repo, "README.md"), "hi\n");
    git(w.root, ["init", "-q", repo]);
    git(repo, ["add", "."]);
    git(repo, ["commit", "-q", "-m", "init"]);
    git(repo, ["-c", "protocol.file.allow=always", "submodule", "add", "-q", lib, "vendor/lib"]);
    const submodule = join(repo, "vendor", "lib");
    expect(statSync(join(submodule, ".git")).isFile()).toBe(true);
    const file = write(join(submodule, "src", "util.py"), APP);
    new ClaudeSession(submodule).prompt("Write util").write(file, APP).save(w.home);
    const r = await w.run(join(submodule, "src"), ["blame", "util.py", "--json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "src/util.py" });
    expect(ownersOf(r.stdout)).toEqual(["CREATED", "CREATED"]);
  });

  it("outside git, the nearest folder above with traces", async () => {
    const w = world();
    const project = join(w.root, "notes");
    const file = write(join(project, "deep", "todo.md"), "# Todo\n");
    new ClaudeSession(project).prompt("Start a todo list").write(file, "# Todo\n").save(w.home);
    const r = await w.run(join(project, "deep"), ["blame", "todo.md", "--json"]);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "deep/todo.md" });
    expect(ownersOf(r.stdout)).toEqual(["CREATED"]);
  });
});

describe("outside git, sessions of any agent mark the project", () => {
  it("a Codex session recorded in a folder above (no Claude folder) makes it the project", async () => {
    const w = world();
    const app = join(w.root, "x", "app");
    write(join(app, "notes.md"), "# Notes\n");
    mkdirSync(join(app, "sub"));
    new CodexSession(app).prompt("Start the notes").applyPatch("*** Add File: notes.md\n+# Notes\n").save(w.home);
    const r = await w.run(join(app, "sub"), ["blame", "../notes.md", "--json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toMatchObject({ file: "notes.md" });
    expect(ownersOf(r.stdout)).toEqual(["CREATED"]);
    // A Codex session recorded in an unrelated folder does not make the common ancestor the project.
    const other = join(w.root, "y");
    mkdirSync(join(other, "deep"), { recursive: true });
    const lonely = await w.run(join(other, "deep"), ["timeline", "--json"]);
    expect(lonely.stderr).toContain(`no agent traces found for ${join(other, "deep")} `);
  });
});

describe("sessions started elsewhere", () => {
  it("a session started in a subfolder belongs to the project (Claude and Codex)", async () => {
    const w = world();
    const repo = join(w.root, "repo");
    git(w.root, ["init", "-q", repo]);
    const a = write(join(repo, "tasklog", "a.py"), APP);
    write(join(repo, "tasklog", "b.py"), "b = 1\n");
    new ClaudeSession(join(repo, "tasklog")).prompt("Write a.py").write(a, APP).save(w.home);
    new CodexSession(join(repo, "tasklog")).prompt("Write b.py").applyPatch("*** Add File: b.py\n+b = 1\n").save(w.home);
    const r = await w.run(repo, ["timeline", "--json"]);
    expect((JSON.parse(r.stdout) as TimelineEntryJson[]).map((e) => `${e.agent} ${e.file}`)).toEqual([
      "claude-code tasklog/a.py",
      "codex-cli tasklog/b.py",
    ]);
  });

  it("a session started in a folder above contributes its edits inside the project; the rest is counted outside", async () => {
    const w = world();
    const src = join(w.root, "src");
    const repo = join(src, "app");
    git(w.root, ["init", "-q", repo]);
    const inside = write(join(repo, "x.py"), APP);
    const sibling = write(join(src, "other", "y.txt"), "y\n");
    new ClaudeSession(src).prompt("Touch both").write(inside, APP).write(sibling, "y\n").write("/tmp/scratch-ai-blame.txt", "s\n").save(w.home);
    new CodexSession(src).prompt("Add z").applyPatch("*** Add File: app/z.py\n+z = 1\n*** Add File: other/w.txt\n+w\n").save(w.home);
    write(join(repo, "z.py"), "z = 1\n");

    const before = await w.run(repo, ["blame", "x.py", "--json"]);
    expect(ownersOf(before.stdout)).toEqual(["CREATED", "CREATED"]);
    const timeline = JSON.parse((await w.run(repo, ["timeline", "--json"])).stdout) as TimelineEntryJson[];
    expect(timeline.map((e) => `${e.agent} ${e.file}`)).toEqual(["claude-code x.py", "codex-cli z.py"]);
    const stats = JSON.parse((await w.run(repo, ["stats", "--json"])).stdout) as StatsJson;
    expect([stats.events, stats.files, stats.outsideProject]).toEqual([2, 2, 3]);
    const text = await w.run(repo, ["stats"]);
    expect(text.stdout).toContain("3 edits outside the project (left out above)\n");
  });
});

describe("blame of a file outside the project", () => {
  it("says so instead of a table of not in traces", async () => {
    const w = world();
    const repo = join(w.root, "repo");
    git(w.root, ["init", "-q", repo]);
    const other = write(join(w.root, "elsewhere", "notes.txt"), "a\n");
    const r = await w.run(repo, ["blame", other]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `ai-blame: error: ${other} is not inside the project ${repo} (run ai-blame in its repository, or pass --dir)\n`,
    );
  });
});

describe("projects that moved", () => {
  /** A project with a Claude and a Codex session recorded at `old`, then moved (renamed) to `moved`. */
  function movedProject() {
    const w = world();
    const old = join(w.root, "old-place", "app");
    const file = write(join(old, "main.py"), APP);
    new ClaudeSession(old).prompt("Write main.py").write(file, APP).save(w.home);
    new CodexSession(old).prompt("Add util").applyPatch("*** Add File: util.py\n+u = 1\n").save(w.home);
    write(join(old, "util.py"), "u = 1\n");
    const moved = join(w.root, "new-place", "app");
    mkdirSync(join(moved, ".."), { recursive: true });
    renameSync(old, moved);
    return { w, old, moved };
  }

  it("a trace in the folder named exactly after the project is the project's, re-rooted", async () => {
    const { w, old, moved } = movedProject();
    // Claude Code's folder follows the project when a user renames it (or copies the home): only the cwd is old.
    renameSync(join(w.home, ".claude", "projects", claudeProjectFolder(old)), join(w.home, ".claude", "projects", claudeProjectFolder(moved)));
    const r = await w.run(moved, ["blame", "main.py", "--json"]);
    expect(r.stderr).toBe("");
    expect(ownersOf(r.stdout)).toEqual(["CREATED", "CREATED"]);
    expect((JSON.parse(r.stdout) as BlameJson).file).toBe("main.py");
  });

  it("a recorded cwd that encodes to the same folder name decides: not this project", async () => {
    const w = world();
    // `/…/a-b` and `/…/a/b` share the folder name `-…-a-b`: the session recorded at a/b is a/b's.
    const mine = join(w.root, "a-b");
    const theirs = join(w.root, "a", "b");
    write(join(mine, "f.txt"), "x\n");
    write(join(theirs, "f.txt"), "x\n");
    new ClaudeSession(theirs).prompt("Write f").write(join(theirs, "f.txt"), "x\n").save(w.home);
    expect(claudeProjectFolder(mine)).toBe(claudeProjectFolder(theirs));
    const r = await w.run(mine, ["blame", "f.txt", "--json", "--dir", "."]);
    expect(ownersOf(r.stdout)).toEqual(["not-in-traces"]);
    const stats = JSON.parse((await w.run(mine, ["stats", "--json", "--dir", "."])).stdout) as StatsJson;
    expect([stats.traceFiles, stats.events]).toEqual([0, 0]);
  });

  it("--path-map OLD=NEW finds the traces recorded at OLD (Claude folder and Codex cwd) and lands their edits on NEW", async () => {
    const { w, old, moved } = movedProject();
    const without = await w.run(moved, ["blame", "main.py", "--json", "--dir", "."]);
    expect(ownersOf(without.stdout)).toEqual(["not-in-traces", "not-in-traces"]);
    expect(without.stderr).toMatch(/^ai-blame: no agent traces found for /);

    const mapped = await w.run(moved, ["blame", "main.py", "--json", "--dir", ".", "--path-map", `${old}=${moved}`]);
    expect(mapped.stderr).toBe("");
    expect(ownersOf(mapped.stdout)).toEqual(["CREATED", "CREATED"]);
    const timeline = await w.run(moved, ["timeline", "--json", "--dir", ".", "--path-map", `${old}=${moved}`]);
    expect((JSON.parse(timeline.stdout) as TimelineEntryJson[]).map((e) => `${e.agent} ${e.file}`)).toEqual([
      "claude-code main.py",
      "codex-cli util.py",
    ]);
    // A map of a folder above the project works the same (the whole tree moved).
    const parent = await w.run(moved, ["blame", "util.py", "--json", "--dir", ".", "--path-map", `${join(old, "..")}=${join(moved, "..")}`]);
    expect(ownersOf(parent.stdout)).toEqual(["CREATED"]);
    const bad = await w.run(moved, ["stats", "--path-map", "no-equals-sign"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected OLD=NEW/);
  });

  it("path_map in .ai-blame.yaml works as --path-map (paths relative to the config file)", async () => {
    const { w, old, moved } = movedProject();
    write(join(moved, ".ai-blame.yaml"), `path_map:\n  ${JSON.stringify(old)}: .\n`);
    const r = await w.run(moved, ["blame", "main.py", "--json", "--dir", "."]);
    expect(r.stderr).toBe("");
    expect(ownersOf(r.stdout)).toEqual(["CREATED", "CREATED"]);
    write(join(moved, ".ai-blame.yaml"), "path_map:\n  - nope\n");
    const bad = await w.run(moved, ["report", "--dir", "."]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\.ai-blame\.yaml:2:\d+: path_map: expected a mapping of old paths to new paths/);
  });

  it("a copied project with the map gives the same blame as the original", async () => {
    const w = world();
    const original = join(w.root, "orig");
    const file = write(join(original, "lib.py"), "a = 1\nb = 2\n");
    const s = new ClaudeSession(original).prompt("Write lib").write(file, "a = 1\n");
    s.edit(file, "a = 1\n", "a = 1\n", "a = 1\nb = 2\n").save(w.home);
    const copy = join(w.root, "copy");
    cpSync(original, copy, { recursive: true });
    const at = await w.run(original, ["blame", "lib.py", "--json", "--dir", "."]);
    const mapped = await w.run(copy, ["blame", "lib.py", "--json", "--dir", ".", "--path-map", `${original}=${copy}`]);
    expect(JSON.parse(mapped.stdout)).toEqual(JSON.parse(at.stdout));
  });
});
