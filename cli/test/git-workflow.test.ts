// The GitHub Actions workflow of docs/ai-blame-pr-summary.yml, its `run:` steps executed as written by bash in a
// fresh clone with an empty home (a CI runner: no traces, only what the remote holds), with `npx` resolving to the
// built CLI and `gh` to a stand-in that records the comment it would post. The comment must carry the pull
// request's AI share computed from the notes.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitExample, type GitExample, git, gitEnv } from "./support/git-example";
import { cliPath, repoRoot, tempDir } from "./support/run-cli";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}

let repo: GitExample;

beforeAll(async () => {
  repo = await createGitExample();
}, 60_000);

afterAll(() => repo?.cleanup());

describe("docs/ai-blame-pr-summary.yml", () => {
  it("fetches the notes and posts the pull request's AI share", async () => {
    const workflow = parse(readFileSync(join(repoRoot, "docs", "ai-blame-pr-summary.yml"), "utf8")) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: Step[] }>;
    };
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    const steps = workflow.jobs["ai-summary"]?.steps ?? [];
    expect(steps.map((s) => s.uses ?? s.name)).toEqual([
      "actions/checkout@v4",
      "Fetch the ai-blame notes",
      "actions/setup-node@v4",
      "Summarise the pull request",
      "Post or update the comment",
    ]);

    // A developer noted and pushed; the runner checks out a clone.
    expect((await repo.cli(["notes", "add"])).code).toBe(0);
    expect((await repo.cli(["notes", "push"])).code).toBe(0);
    const runner = tempDir("ai-blame-runner-");
    const checkout = join(runner, "checkout");
    git(runner, ["clone", "-q", repo.remote, checkout]);
    const bin = join(runner, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = "--yes" ] && shift\ncase "$1" in ai-blame@*) shift ;; *) exit 99 ;; esac\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    writeFileSync(join(bin, "gh"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${join(runner, "gh-calls")}"\ncase "$*" in *--edit-last*) exit 1 ;; esac\ncat ai-blame-summary.md > "${join(runner, "posted.md")}"\n`);
    chmodSync(join(bin, "npx"), 0o755);
    chmodSync(join(bin, "gh"), 0o755);

    const [c1, , c3] = repo.commits;
    const context: Record<string, string> = {
      "github.event.pull_request.base.sha": c1,
      "github.event.pull_request.head.sha": c3,
      "github.token": "test-token",
      "github.event.pull_request.number": "7",
    };
    const home = tempDir("ai-blame-runner-home-");
    for (const step of steps) {
      if (!step.run) continue;
      const env: Record<string, string> = {
        PATH: `${bin}:${process.env["PATH"] ?? ""}`,
        HOME: home,
        AI_BLAME_DATA_DIR: join(runner, "data"),
        ...gitEnv,
      };
      for (const [key, value] of Object.entries(step.env ?? {})) {
        env[key] = value.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => context[name] ?? "");
      }
      execFileSync("bash", ["-e", "-o", "pipefail", "-c", step.run], { cwd: checkout, env, stdio: "pipe" });
    }
    expect(git(checkout, ["notes", "--ref=ai-blame", "list"]).trim().split("\n")).toHaveLength(3);
    expect(readFileSync(join(runner, "gh-calls"), "utf8")).toBe(
      "pr comment 7 --body-file ai-blame-summary.md --edit-last\npr comment 7 --body-file ai-blame-summary.md\n",
    );
    const posted = readFileSync(join(runner, "posted.md"), "utf8");
    expect(posted).toContain("### AI share of this change");
    expect(posted).toContain("**32 of 37 added lines (86.5%)** were written by AI edits, in 2 commits");
    expect(posted).toContain("| gpt-5.1-codex | codex-cli | 9 | 24.3% |");
    // No traces on the runner: sessions are named, prompts are not (they were not stored in the notes).
    expect(posted).toContain("- codex-cli session 019a48fd (gpt-5.1-codex; 9 lines)\n");
  }, 90_000);
});
