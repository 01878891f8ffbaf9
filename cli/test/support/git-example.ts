// Test helper: the bundled example as a git repository with commits made after its AI sessions, plus a bare remote.
// Commits (fixed authors and dates): c1 "Add tasklog package" (tasklog/, pyproject.toml, config.yaml; Alice),
// c2 "Add web formatter" (web/format.js; Bob), c3 "Add README" (README.md; Alice). Other files of the example stay
// untracked, so the numbers the tests assert do not move when the example gains files for new agents. Git runs with
// no global or system config, so the machine's settings never leak into a test.

import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createExampleHome, type ExampleHome } from "../../../tests/support/example-home";
import { type RunResult, runCli, tempDir } from "./run-cli";

export const gitEnv: Record<string, string> = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Alice",
  GIT_AUTHOR_EMAIL: "alice@example.com",
  GIT_COMMITTER_NAME: "Alice",
  GIT_COMMITTER_EMAIL: "alice@example.com",
};

/** Runs git in `cwd` with the test environment; returns stdout. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync("git", args, {
    cwd,
    env: { PATH: process.env["PATH"], HOME: cwd, ...gitEnv, ...env },
    encoding: "utf8",
    stdio: ["pipe", "pipe", "pipe"],
  });
}

export interface GitExample extends ExampleHome {
  /** Bare repository the project pushes to (`origin`). */
  remote: string;
  /** Commit shas c1, c2, c3 (oldest first). */
  commits: [string, string, string];
  data: string;
  /** Runs the built CLI in `cwd` (default: the project) with the example's home and the test git environment. */
  cli(args: string[], options?: { cwd?: string; home?: string; env?: Record<string, string>; input?: string }): Promise<RunResult>;
}

function commitAs(cwd: string, paths: string[], message: string, who: string, date: string): string {
  git(cwd, ["add", "--", ...paths]);
  const email = `${who.toLowerCase()}@example.com`;
  git(cwd, ["commit", "-q", "-m", message], {
    GIT_AUTHOR_NAME: who,
    GIT_AUTHOR_EMAIL: email,
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  });
  return git(cwd, ["rev-parse", "HEAD"]).trim();
}

export async function createGitExample(): Promise<GitExample> {
  const example = await createExampleHome();
  const { project } = example;
  git(project, ["init", "-q", "-b", "main"]);
  const c1 = commitAs(project, ["tasklog", "pyproject.toml", "config.yaml"], "Add tasklog package", "Alice", "2025-11-05T10:00:00Z");
  const c2 = commitAs(project, ["web/format.js"], "Add web formatter", "Bob", "2025-11-05T11:00:00Z");
  const c3 = commitAs(project, ["README.md"], "Add README", "Alice", "2025-11-05T12:00:00Z");
  const remote = join(example.root, "remote.git");
  mkdirSync(remote);
  git(remote, ["init", "-q", "--bare", "-b", "main"]);
  git(project, ["remote", "add", "origin", remote]);
  git(project, ["push", "-q", "origin", "main"]);
  const data = tempDir("ai-blame-git-data-");
  return {
    ...example,
    remote,
    commits: [c1, c2, c3],
    data,
    cli: (args, options = {}) =>
      runCli(args, {
        cwd: options.cwd ?? project,
        env: { HOME: options.home ?? example.home, AI_BLAME_DATA_DIR: data, ...gitEnv, ...options.env },
        ...(options.input !== undefined ? { input: options.input } : {}),
      }),
  };
}
