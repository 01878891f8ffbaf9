// Finds the git repository of a folder (work tree root, git folder, common folder shared by worktrees) and answers
// the small questions the git features ask of it: a revision's full sha, a range's commits, a ref's value.

import { resolve } from "node:path";
import { runGit, runGitRaw } from "./run-git";

export interface Repository {
  /** Absolute work tree root (forward slashes as git prints them). */
  root: string;
  /** This worktree's git folder (hooks of a linked worktree still live in the common folder). */
  gitDir: string;
  /** The folder shared by all worktrees: refs, objects, hooks, config. */
  commonDir: string;
}

/** The repository holding `dir`, or null when `dir` is not inside a git work tree (or git is missing). */
export async function findRepository(dir: string): Promise<Repository | null> {
  let result;
  try {
    result = await runGitRaw(["rev-parse", "--show-toplevel", "--absolute-git-dir", "--git-common-dir"], { cwd: dir });
  } catch {
    return null;
  }
  if (result.code !== 0) return null;
  const [root, gitDir, common] = result.stdout.toString("utf8").split("\n");
  if (!root || !gitDir || !common) return null;
  // --git-common-dir is relative to the cwd when it is not absolute.
  return { root, gitDir, commonDir: resolve(dir, common) };
}

/** The full sha of a commit-ish, or null when it does not name a commit. */
export async function resolveCommit(repo: Repository, rev: string): Promise<string | null> {
  const result = await runGitRaw(["rev-parse", "-q", "--verify", "--end-of-options", `${rev}^{commit}`], { cwd: repo.root });
  return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
}

/** The sha a ref points at, or null when it does not exist. */
export async function refValue(repo: Repository, ref: string): Promise<string | null> {
  const result = await runGitRaw(["rev-parse", "-q", "--verify", "--end-of-options", ref], { cwd: repo.root });
  return result.code === 0 ? result.stdout.toString("utf8").trim() : null;
}

/**
 * HEAD's commit and the value of `ref` read together by one `git show-ref --head` (a blame asks for both); null for an
 * unborn HEAD or a missing ref.
 */
export async function headAndRef(repo: Repository, ref: string): Promise<{ head: string | null; ref: string | null }> {
  const result = await runGitRaw(["show-ref", "--head", "--end-of-options", ref], { cwd: repo.root });
  const found = { head: null as string | null, ref: null as string | null };
  for (const line of result.stdout.toString("utf8").split("\n")) {
    const space = line.indexOf(" ");
    const name = line.slice(space + 1);
    if (space <= 0) continue;
    if (name === "HEAD") found.head = line.slice(0, space);
    else if (name === ref) found.ref = line.slice(0, space);
  }
  return found;
}

export interface CommitSummary {
  sha: string;
  parents: string[];
  author: string;
  authorMail: string;
  /** ISO 8601 UTC. */
  authorTime: string;
  summary: string;
}

/**
 * Commits of a revision range as `git rev-list` understands it (`A..B`, `HEAD`, `-n` via maxCount), newest first.
 * A range argument is passed after `--end-of-options`, so it can never be read as an option.
 */
export async function listCommits(repo: Repository, range: string, maxCount: number | null): Promise<CommitSummary[]> {
  const args = ["log", "--no-color", LOG_FORMAT];
  if (maxCount !== null) args.push(`--max-count=${maxCount}`);
  args.push("--end-of-options", range, "--");
  return parseCommits(await runGit(args, { cwd: repo.root }));
}

/** The given commits (in that order), e.g. the new commits of a rewrite. */
export async function describeCommits(repo: Repository, shas: string[]): Promise<CommitSummary[]> {
  if (shas.length === 0) return [];
  const out = await runGit(["log", "--no-color", "--no-walk=unsorted", "--stdin", LOG_FORMAT], { cwd: repo.root, input: `${shas.join("\n")}\n` });
  return parseCommits(out);
}

const LOG_FORMAT = "--format=%H%x00%P%x00%an%x00%ae%x00%at%x00%s%x1e";

function parseCommits(out: string): CommitSummary[] {
  const commits: CommitSummary[] = [];
  for (const record of out.split("\x1e")) {
    const fields = record.replace(/^\n/, "").split("\x00");
    if (fields.length < 6 || !fields[0]) continue;
    const [sha, parents, author, mail, time, summary] = fields as [string, string, string, string, string, string];
    commits.push({
      sha,
      parents: parents === "" ? [] : parents.split(" "),
      author,
      authorMail: mail,
      authorTime: new Date(Number(time) * 1000).toISOString(),
      summary,
    });
  }
  return commits;
}
