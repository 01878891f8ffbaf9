// Hooks and history rewrites with real git and the built CLI: `hooks install` chains an existing hook, is idempotent,
// follows core.hooksPath and serves linked worktrees; with the hooks, a commit gets its note and amend and rebase keep
// the attribution; without them, a squash of three noted commits is recovered by `notes add` from those notes.
// "No traces" is `--trace-dir <empty folder>`, which replaces discovery, so only notes can attribute.

import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BlameJson, LogEntryJson } from "@ai-blame/shared";
import { createExampleHome } from "../../tests/support/example-home";
import { createGitExample, type GitExample, git, gitEnv } from "./support/git-example";
import { runCli, tempDir } from "./support/run-cli";

/** Without the one-line note that a project has no local traces (these tests read notes instead, on purpose). */
function withoutNoTraceNote(stderr: string): string {
  return stderr.replace(/^ai-blame: no agent traces found for [^\n]*\n/, "");
}

let repo: GitExample;
let noTraces: string;

beforeAll(async () => {
  repo = await createGitExample();
  noTraces = tempDir("ai-blame-no-traces-");
}, 60_000);

afterAll(() => repo?.cleanup());

/** The post-commit lines of the background hook's log, once there are `count` of them (polled, up to 60 s). */
async function hookLogLines(project: string, count: number): Promise<string[]> {
  const log = join(project, ".git", "ai-blame-hook.log");
  for (let waited = 0; ; waited += 100) {
    const lines = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => / post-commit /.test(l)) : [];
    if (lines.length >= count || waited > 60_000) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function owners(blame: BlameJson): Array<string | null> {
  return blame.lines.map((l) => (l.owner ? `${l.owner.model} ${l.owner.sessionId}` : null));
}

async function blameFrom(r: GitExample, file: string, fromNotesOnly: boolean, cwd = r.project): Promise<BlameJson> {
  const out = await r.cli(["blame", file, "--json", ...(fromNotesOnly ? ["--trace-dir", noTraces] : [])], { cwd });
  expect(withoutNoTraceNote(out.stderr)).toBe("");
  return JSON.parse(out.stdout) as BlameJson;
}

describe("hooks install", () => {
  it("chains an existing hook, is idempotent, and writes the note of each new commit", async () => {
    const hooks = join(repo.project, ".git", "hooks");
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, "post-commit"), `#!/bin/sh\necho "$(git rev-parse HEAD)" >> "${join(repo.root, "foreign-ran")}"\n`);
    chmodSync(join(hooks, "post-commit"), 0o755);
    const first = await repo.cli(["hooks", "install"]);
    expect(first.stderr).toContain("post-commit: installed; the existing hook is kept and runs first");
    expect(first.stderr).toContain("post-rewrite: installed\n");
    const second = await repo.cli(["hooks", "install"]);
    expect(second.stderr).toContain("post-commit: updated (it was ai-blame's already)");
    expect(readFileSync(join(hooks, "post-commit.ai-blame-chained"), "utf8")).toContain("foreign-ran");
    expect(git(repo.project, ["config", "--get-all", "notes.rewriteRef"])).toBe("refs/notes/ai-blame\n");

    await repo.cli(["notes", "add"]);
    // Drop the README and bring it back: the hook (running ai-blame with this HOME) notes the commit that restores it.
    const env = { HOME: repo.home, AI_BLAME_DATA_DIR: repo.data };
    git(repo.project, ["rm", "-q", "README.md"], env);
    git(repo.project, ["commit", "-q", "-m", "Drop README"], env);
    git(repo.project, ["checkout", "HEAD~1", "--", "README.md"], env);
    git(repo.project, ["commit", "-q", "-m", "Restore README"], env);
    const heads = git(repo.project, ["rev-list", "-n", "2", "HEAD"]).trim().split("\n").reverse();
    expect(readFileSync(join(repo.root, "foreign-ran"), "utf8")).toBe(heads.map((h) => `${h}\n`).join(""));
    // The notes are written in the background; each run ends with one line in the hook log.
    const runs = await hookLogLines(repo.project, 2);
    expect(runs.map((l) => l.replace(/^ai-blame: \S+ /, "")).sort()).toEqual([
      `post-commit ${heads[0]?.slice(0, 12)}: no AI lines, no note`,
      `post-commit ${heads[1]?.slice(0, 12)}: note written`,
    ].sort());
    expect(git(repo.project, ["notes", "--ref=ai-blame", "list"]).trim().split("\n")).toHaveLength(4);
    const log = JSON.parse((await repo.cli(["log", "-n", "1", "--json", "--trace-dir", noTraces])).stdout) as LogEntryJson[];
    expect(log[0]).toMatchObject({ summary: "Restore README", added: 24, ai: 19, source: "note" });
  }, 60_000);

  it("keeps the attribution through amend and rebase", async () => {
    const before = new Map<string, Array<string | null>>();
    for (const file of ["README.md", "web/format.js"]) before.set(file, owners(await blameFrom(repo, file, false)));
    // Notes written before each git command returns, so the log right after reads them (as a CI script would).
    const env = { HOME: repo.home, AI_BLAME_DATA_DIR: repo.data, AI_BLAME_HOOK_SYNC: "1" };
    // Back to the README commit, then amend it with a human line on top.
    git(repo.project, ["reset", "-q", "--hard", repo.commits[2]], env);
    writeFileSync(join(repo.project, "README.md"), `${readFileSync(join(repo.project, "README.md"), "utf8")}\nThanks!\n`);
    git(repo.project, ["commit", "-q", "-a", "--amend", "-m", "Add README (amended)"], env);
    const amended = JSON.parse((await repo.cli(["log", "-n", "1", "--json", "--trace-dir", noTraces])).stdout) as LogEntryJson[];
    expect(amended[0]).toMatchObject({ summary: "Add README (amended)", added: 26, ai: 19, source: "note" });

    // Rebase c2..HEAD onto a new human commit that shifts config.yaml: the rewritten commits keep their notes.
    const [c1] = repo.commits;
    git(repo.project, ["checkout", "-q", "-b", "base", c1], env);
    writeFileSync(join(repo.project, "CHANGES.md"), "# Changes\n");
    git(repo.project, ["add", "CHANGES.md"], env);
    git(repo.project, ["commit", "-q", "-m", "Start a changelog"], env);
    git(repo.project, ["rebase", "-q", "base", "main"], env);
    const log = JSON.parse((await repo.cli(["log", "-n", "3", "--json", "--trace-dir", noTraces])).stdout) as LogEntryJson[];
    expect(log.map((e) => [e.summary, e.ai, e.source])).toEqual([
      ["Add README (amended)", 19, "note"],
      ["Add web formatter", 13, "note"],
      ["Start a changelog", 0, "none"],
    ]);
    for (const [file, expected] of before) {
      const after = owners(await blameFrom(repo, file, true));
      expected.forEach((owner, i) => {
        if (owner !== null) expect(after[i], `${file}:${i + 1}`).toBe(owner);
      });
    }
  }, 60_000);

  it("follows core.hooksPath, serves linked worktrees, and uninstalls cleanly", async () => {
    const fresh = await createGitExample();
    try {
      git(fresh.project, ["config", "core.hooksPath", ".githooks"]);
      await fresh.cli(["hooks", "install"]);
      expect(existsSync(join(fresh.project, ".githooks", "post-commit"))).toBe(true);
      expect(existsSync(join(fresh.project, ".git", "hooks", "post-commit"))).toBe(false);
      git(fresh.project, ["config", "--unset", "core.hooksPath"]);
      await fresh.cli(["hooks", "install"]);
      const worktree = join(fresh.root, "wt");
      git(fresh.project, ["worktree", "add", "-q", "-b", "side", worktree]);
      const hooksInWorktree = git(worktree, ["rev-parse", "--git-path", "hooks"]).trim();
      expect(hooksInWorktree).toBe(join(fresh.project, ".git", "hooks"));
      const up = await fresh.cli(["hooks", "uninstall"]);
      expect(up.stderr).toContain("post-commit: removed");
      expect(existsSync(join(fresh.project, ".git", "hooks", "post-commit"))).toBe(false);
      expect(() => git(fresh.project, ["config", "--get-all", "notes.rewriteRef"])).toThrow();
      const again = await fresh.cli(["hooks", "uninstall"]);
      expect(again.stderr).toContain("post-commit: not installed");
    } finally {
      fresh.cleanup();
    }
  }, 60_000);
});

describe("the notes lock", () => {
  it("a writer waits while another holds the lock, and takes over a lock whose process is gone", async () => {
    const fresh = await createGitExample();
    try {
      const lock = join(fresh.project, ".git", "ai-blame-notes.lock");
      writeFileSync(lock, `${process.pid}\n`); // held by a live process: this test
      const adding = fresh.cli(["notes", "add"]);
      await new Promise((r) => setTimeout(r, 1500));
      expect(git(fresh.project, ["notes", "--ref=ai-blame", "list"])).toBe(""); // nothing written yet
      rmSync(lock);
      expect((await adding).stderr).toContain("ai-blame: 3 notes written");
      expect(existsSync(lock)).toBe(false);

      // A lock left by a process that died: the next writer takes it over at once.
      const dead = spawnSync(process.execPath, ["-e", "process.exit(0)"]).pid;
      writeFileSync(lock, `${dead}\n`);
      const forced = await fresh.cli(["notes", "add", "--force"]);
      expect(forced.stderr).toContain("ai-blame: 3 notes written");
      expect(existsSync(lock)).toBe(false);
    } finally {
      fresh.cleanup();
    }
  }, 60_000);
});

describe("recovery by content", () => {
  it("a squash of three noted commits gets its note from theirs", async () => {
    const example = await createExampleHome();
    try {
      const project = example.project;
      const data = tempDir("ai-blame-squash-data-");
      const cli = (args: string[]) => runCli(args, { cwd: project, env: { HOME: example.home, AI_BLAME_DATA_DIR: data, ...gitEnv } });
      git(project, ["init", "-q", "-b", "main"]);
      git(project, ["add", "pyproject.toml"]);
      git(project, ["commit", "-q", "-m", "Base"]);
      git(project, ["checkout", "-q", "-b", "feature"]);
      for (const [paths, message] of [[["tasklog"], "Package"], [["web/format.js", "config.yaml"], "Web"], [["README.md"], "Docs"]] as const) {
        git(project, ["add", ...paths]);
        git(project, ["commit", "-q", "-m", message]);
      }
      expect((await cli(["notes", "add"])).stderr).toBe("ai-blame: 3 notes written, 4 commits examined\n");
      const files = ["tasklog/cli.py", "tasklog/store.py", "web/format.js", "config.yaml", "README.md"];
      const expected = new Map<string, Array<string | null>>();
      for (const f of files) expected.set(f, owners(JSON.parse((await cli(["blame", f, "--json"])).stdout) as BlameJson));

      git(project, ["checkout", "-q", "main"]);
      git(project, ["merge", "-q", "--squash", "feature"]);
      git(project, ["commit", "-q", "-m", "Squashed feature"]);
      git(project, ["branch", "-q", "-D", "feature"]);
      const added = await cli(["notes", "add", "--trace-dir", noTraces]);
      expect(withoutNoTraceNote(added.stderr)).toBe("ai-blame: 1 note written, 2 commits examined\n");
      let same = 0;
      let total = 0;
      for (const f of files) {
        const got = owners(JSON.parse((await cli(["blame", f, "--json", "--trace-dir", noTraces])).stdout) as BlameJson);
        expected.get(f)?.forEach((owner, i) => {
          if (owner === null) return;
          total++;
          if (got[i] === owner) same++;
        });
      }
      // Every AI line is recovered; lines whose text several edits wrote (blank lines, `return 0`) may take another
      // of those edits.
      expect(total).toBe(152);
      expect({ same, total }).toEqual({ same: total, total });
    } finally {
      example.cleanup();
    }
  }, 60_000);
});
