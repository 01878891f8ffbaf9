// The noted commits that are not ancestors of the commits being noted: where recovery by content looks for the notes
// a squash, cherry-pick or rebase copied from. From scratch that is one `git rev-list` over every noted commit, which
// walks the whole history (tens of ms at 10,000 commits, every `notes add`, every post-commit hook). With a cache
// folder the answer is kept per repository with the notes ref and the tips it was computed for, and the next answer
// is derived from it: the notes added or removed since (`git diff-tree` of the two notes commits) and one `git
// rev-list` of (old candidates ∪ added notes ∪ old tips) minus the new tips, which for a new commit on top of the
// old tip walks nothing. Why that is exact: every noted commit of the new ref was an old candidate, an ancestor of
// an old tip, or added since; so the new candidates are that walk's output restricted to noted commits.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../util/atomic-write";
import type { NotesReader } from "./notes-reader";
import type { Repository } from "./repository";
import { runGit, runGitRaw } from "./run-git";

const FORMAT = 1;

interface CandidatesEntry {
  format: number;
  /** The notes ref's sha the candidates were computed at. */
  ref: string;
  /** The commits being noted then, sorted. */
  tips: string[];
  candidates: string[];
}

/** Noted commits (after `notes.sync()`) that no commit of `tips` reaches. `cacheDir` null: always from scratch. */
export async function recoveryCandidates(repo: Repository, notes: NotesReader, tips: string[], cacheDir: string | null): Promise<string[]> {
  const ref = notes.syncedRef;
  if (!ref) return [];
  const sortedTips = [...new Set(tips)].sort();
  const file = cacheDir === null ? null : join(cacheDir, `${repositoryId(repo)}.json`);
  const previous = file === null ? null : readEntry(file);
  let candidates: string[] | null = null;
  if (previous && previous.ref === ref && sameList(previous.tips, sortedTips)) return previous.candidates;
  if (previous) candidates = await derive(repo, notes, previous, ref, sortedTips);
  candidates ??= await fromScratch(repo, notes, sortedTips);
  if (file !== null && cacheDir !== null) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const entry: CandidatesEntry = { format: FORMAT, ref, tips: sortedTips, candidates };
      writeFileAtomic(file, JSON.stringify(entry), { fsyncData: false, fsyncFolder: false });
    } catch {
      // The cache only saves time.
    }
  }
  return candidates;
}

async function fromScratch(repo: Repository, notes: NotesReader, tips: string[]): Promise<string[]> {
  const noted = await notes.allNotedCommits();
  if (noted.length === 0) return [];
  const input = `${noted.join("\n")}\n${tips.map((t) => `^${t}`).join("\n")}\n`;
  const notAncestors = new Set((await runGit(["rev-list", "--ignore-missing", "--stdin"], { cwd: repo.root, input })).split("\n"));
  return noted.filter((c) => notAncestors.has(c));
}

/** The new candidates from the cached ones, or null when git cannot compare (an old notes commit was pruned). */
async function derive(repo: Repository, notes: NotesReader, previous: CandidatesEntry, ref: string, tips: string[]): Promise<string[] | null> {
  let added: string[] = [];
  if (previous.ref !== ref) {
    const diff = await runGitRaw(["diff-tree", "-r", "--no-renames", "--name-only", "--diff-filter=A", previous.ref, ref], { cwd: repo.root });
    if (diff.code !== 0) return null;
    // Note paths are the annotated commit's sha, split into folders by fanout (`ab/cdef…`).
    added = diff.stdout
      .toString("utf8")
      .split("\n")
      .map((p) => p.replace(/\//g, ""))
      .filter((c) => /^[0-9a-f]{40,64}$/.test(c));
  }
  const positive = [...previous.candidates, ...added, ...previous.tips];
  if (positive.length === 0) return [];
  const input = `${positive.join("\n")}\n${tips.map((t) => `^${t}`).join("\n")}\n`;
  const walk = await runGitRaw(["rev-list", "--ignore-missing", "--stdin"], { cwd: repo.root, input });
  if (walk.code !== 0) return null;
  const reached = walk.stdout.toString("utf8").split("\n").filter((c) => c !== "");
  const noted = await notes.noted(reached);
  return reached.filter((c) => noted.has(c));
}

function readEntry(file: string): CandidatesEntry | null {
  try {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Partial<CandidatesEntry>;
    const shas = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string" && /^[0-9a-f]{40,64}$/.test(s));
    if (raw.format !== FORMAT || typeof raw.ref !== "string" || !/^[0-9a-f]{40,64}$/.test(raw.ref)) return null;
    if (!shas(raw.tips) || !shas(raw.candidates)) return null;
    return { format: FORMAT, ref: raw.ref, tips: raw.tips, candidates: raw.candidates };
  } catch {
    return null;
  }
}

function repositoryId(repo: Repository): string {
  let dir = repo.commonDir;
  try {
    dir = realpathSync(dir);
  } catch {
    // keep git's spelling
  }
  return createHash("sha256").update(dir).digest("hex").slice(0, 32);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
