// A renamed file keeps its history, through the built CLI: `mv` and `git mv` in a Claude Bash call, Codex's
// `*** Move to:`, a rename a person committed in git (followed with `git log --follow`), and a person's rename not
// committed (or outside git), recognised by content. A vanished file whose history does not explain the new file
// gives it nothing.

import { execFileSync } from "node:child_process";
import { renameSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BlameJson } from "@ai-blame/shared";
import { makeProject, type TestProject } from "./support/project";
import { ClaudeSession, CodexSession } from "./support/traces";

async function owners(p: TestProject, file: string): Promise<string[]> {
  const r = await p.run(["blame", file, "--json"]);
  expect(r.stderr).toBe("");
  const b = JSON.parse(r.stdout) as BlameJson;
  return b.lines.map((l) => `${l.text} <- ${l.owner ? `${l.owner.action} ${l.owner.toolCallId.slice(0, 8)}` : l.reason}`);
}

function git(p: TestProject, ...args: string[]): void {
  execFileSync("git", args, { cwd: p.project, stdio: "ignore", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
}

const v1 = "def load(path):\n    with open(path) as f:\n        return f.read()\n";
const v2 = "def load(path):\n    with open(path, encoding='utf-8') as f:\n        return f.read()\n";

describe("renames recorded in the traces", () => {
  it("mv in a Claude Bash call: the new path keeps the history and later edits build on it", async () => {
    const p = makeProject();
    new ClaudeSession(p.project)
      .prompt("p")
      .write(p.path("io.py"), v1)
      .bash("mv io.py loader.py && git mv -f src/a.txt src/b.txt")
      .edit(p.path("loader.py"), v1, "open(path)", "open(path, encoding='utf-8')")
      .save(p.home);
    p.file("loader.py", v2);
    expect(await owners(p, "loader.py")).toEqual([
      "def load(path): <- CREATED toolu_01",
      "    with open(path, encoding='utf-8') as f: <- EDITED toolu_03",
      "        return f.read() <- CREATED toolu_01",
    ]);
    const timeline = JSON.parse((await p.run(["timeline", "--json"])).stdout) as Array<{ file: string; action: string }>;
    expect(timeline.map((e) => `${e.action} ${e.file}`).sort()).toEqual([
      "CREATED io.py",
      "CREATED loader.py",
      "CREATED src/b.txt",
      "DELETED io.py",
      "DELETED src/a.txt",
      "EDITED loader.py",
    ]);
  });

  it("git mv into a folder (trailing slash) and a mv after cd is not trusted", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("io.py"), v1).bash("git mv io.py lib/").bash("cd lib && mv io.py x.py").save(p.home);
    p.file("lib/io.py", v1);
    expect(await owners(p, "lib/io.py")).toEqual(v1.trimEnd().split("\n").map((l) => `${l} <- CREATED toolu_01`));
  });

  it("Codex *** Move to: the new path keeps the lines of the added file", async () => {
    const p = makeProject();
    new CodexSession(p.project)
      .prompt("p")
      .applyPatch(`*** Add File: ${p.path("a.py")}\n+x = 1\n+y = 2\n+z = 3\n`)
      .applyPatch(`*** Update File: ${p.path("a.py")}\n*** Move to: ${p.path("b.py")}\n@@\n x = 1\n-y = 2\n+y = 20\n z = 3\n`)
      .save(p.home);
    p.file("b.py", "x = 1\ny = 20\nz = 3\n");
    expect(await owners(p, "b.py")).toEqual(["x = 1 <- CREATED call_1", "y = 20 <- CREATED call_2", "z = 3 <- CREATED call_1"]);
  });
});

describe("renames by a person", () => {
  it("committed in git: followed with git log --follow, also after two renames and a change", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("io.py"), v1).save(p.home);
    p.file("io.py", v1);
    git(p, "init", "-q");
    git(p, "add", "io.py");
    git(p, "commit", "-qm", "add");
    git(p, "mv", "io.py", "loader.py");
    git(p, "commit", "-qm", "rename");
    git(p, "mv", "loader.py", "load.py");
    git(p, "commit", "-qm", "rename again");
    p.file("load.py", `${v1}# done\n`);
    expect(await owners(p, "load.py")).toEqual([
      "def load(path): <- CREATED toolu_01",
      "    with open(path) as f: <- CREATED toolu_01",
      "        return f.read() <- CREATED toolu_01",
      "# done <- changed-after-ai",
    ]);
  });

  it("not committed (no git at all): the vanished file whose history explains the new one", async () => {
    const p = makeProject();
    new ClaudeSession(p.project).prompt("p").write(p.path("io.py"), v1).write(p.path("other.py"), "print('something else entirely')\n").save(p.home);
    p.file("io.py", v1);
    p.file("other.py", "print('something else entirely')\n");
    renameSync(p.path("io.py"), p.path("loader.py"));
    renameSync(p.path("other.py"), p.path("gone.py"));
    p.file("unrelated.py", "import sys\nprint(sys.argv)\n");
    expect(await owners(p, "loader.py")).toEqual(v1.trimEnd().split("\n").map((l) => `${l} <- CREATED toolu_01`));
    // A new file that the vanished files' histories do not explain gets nothing from them.
    expect(await owners(p, "unrelated.py")).toEqual(["import sys <- not-in-traces", "print(sys.argv) <- not-in-traces"]);
  });
});
