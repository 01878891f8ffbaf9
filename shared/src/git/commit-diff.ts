// The lines each commit added, from one `git log -p -U0` over many commits (their shas on stdin): per commit, per
// file (its path in that commit), the added line numbers of that commit's version as ranges. Merges add nothing of
// their own (their lines are blamed to the commits they merged); renames count only the lines they changed.

import { unquotePath } from "./blame-porcelain";
import type { Repository } from "./repository";
import { runGitRaw, gitError } from "./run-git";

/** `[start, count]`: lines start..start+count-1 of the file in the commit. */
export type AddedRange = [number, number];

/** Per path, the added ranges, ascending. */
export type CommitAdded = Map<string, AddedRange[]>;

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const COMMIT_MARK = "\x01";

export function countAdded(ranges: AddedRange[]): number {
  let n = 0;
  for (const [, count] of ranges) n += count;
  return n;
}

/** Added lines of each commit in `shas` (merges and commits adding nothing map to an empty map). */
export async function addedLines(repo: Repository, shas: string[]): Promise<Map<string, CommitAdded>> {
  const result = new Map<string, CommitAdded>();
  if (shas.length === 0) return result;
  const args = [
    "log", "--no-walk=unsorted", "--stdin", "--no-color", "--no-ext-diff", "--no-textconv", "-p", "-U0", "-M",
    `--format=${COMMIT_MARK}%H`,
  ];
  const run = await runGitRaw(args, { cwd: repo.root, input: `${shas.join("\n")}\n` });
  if (run.code !== 0) throw gitError(args, run);
  const text = run.stdout.toString("utf8");
  let current: CommitAdded | null = null;
  let path: string | null = null;
  let pendingOld = 0;
  let pendingNew = 0;
  let from = 0;
  while (from < text.length) {
    let eol = text.indexOf("\n", from);
    if (eol < 0) eol = text.length;
    const line = text.slice(from, eol);
    from = eol + 1;
    if (pendingOld > 0 || pendingNew > 0) {
      // Hunk content: count it off, whatever it looks like ("+++ x" can be an added line).
      if (line.startsWith("-")) {
        pendingOld--;
        continue;
      }
      if (line.startsWith("+")) {
        pendingNew--;
        continue;
      }
      if (line.startsWith("\\")) continue;
      pendingOld = 0;
      pendingNew = 0;
    }
    if (line.startsWith(COMMIT_MARK)) {
      current = new Map();
      result.set(line.slice(1).trim(), current);
      path = null;
      continue;
    }
    if (!current) continue;
    if (line.startsWith("diff --git ")) {
      path = null;
      continue;
    }
    if (line.startsWith("+++ ")) {
      const name = unquotePath(line.slice(4));
      path = name === "/dev/null" ? null : name.replace(/^b\//, "");
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      const oldCount = hunk[1] === undefined ? 1 : Number(hunk[1]);
      const start = Number(hunk[2]);
      const count = hunk[3] === undefined ? 1 : Number(hunk[3]);
      pendingOld = oldCount;
      pendingNew = count;
      if (path !== null && count > 0) {
        const ranges = current.get(path) ?? [];
        ranges.push([start, count]);
        current.set(path, ranges);
      }
    }
  }
  return result;
}
