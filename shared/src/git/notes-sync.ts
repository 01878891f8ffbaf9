// Writing notes and moving them between clones. `notes add` attributes commits (content from git, traces, recovery)
// and writes one note per commit with AI lines; `notes pull` fetches the remote's notes ref into a side ref and merges
// it with git's `cat_sort_uniq` strategy (our notes are one JSON record per line, so that strategy is a union of
// records: both sides survive); `notes push` pulls first, then pushes, retrying once when someone pushed meanwhile.

import type { Snapshot } from "../engine-api";
import { AiBlameError } from "../util/errors";
import { type CommitAttribution, CommitAttributor, noteRecords } from "./commit-attribution";
import { NOTES_REF, serializeNote } from "./note-format";
import { withNotesLock } from "./notes-lock";
import type { NotesReader } from "./notes-reader";
import { type CommitSummary, describeCommits, listCommits, refValue, type Repository } from "./repository";
import { gitError, runGit, runGitRaw } from "./run-git";

/** Where `notes pull` puts the remote's notes before merging them. */
export const FETCHED_NOTES_REF = "refs/notes/ai-blame-fetched";

export interface NotesAddOptions {
  /** A revision range (`A..B`, a commit); default HEAD and its ancestors. */
  range: string | null;
  maxCount: number;
  /** Rewrite notes that exist (otherwise noted commits are skipped). */
  force: boolean;
  withPrompts: boolean;
  /** Exactly these commits instead of a range (the new commits of a rewrite). */
  shas?: string[];
  /** Where recovery keeps what it needs between runs (the CLI's data folder); absent: recomputed every time. */
  recoveryCacheDir?: string | null;
}

export interface NotesAddResult {
  /** Commits looked at (without a note, or all with force). */
  examined: number;
  /** Notes written (commits with AI lines). */
  written: CommitAttribution[];
  /** Commits skipped because they already have a note. */
  skipped: number;
}

export function addNotes(repo: Repository, snapshot: Snapshot, notes: NotesReader, options: NotesAddOptions): Promise<NotesAddResult> {
  // Under the notes lock: a background post-commit hook may be writing at the same time.
  return withNotesLock(repo, () => addNotesLocked(repo, snapshot, notes, options));
}

async function addNotesLocked(repo: Repository, snapshot: Snapshot, notes: NotesReader, options: NotesAddOptions): Promise<NotesAddResult> {
  const [all] = await Promise.all([
    options.shas ? describeCommits(repo, options.shas) : listCommits(repo, options.range ?? "HEAD", options.maxCount),
    notes.sync(),
  ]);
  const noted = options.force ? new Set<string>() : await notes.noted(all.map((c) => c.sha));
  const todo: CommitSummary[] = all.filter((c) => !noted.has(c.sha));
  const attributor = new CommitAttributor(repo, snapshot, notes, options.recoveryCacheDir ?? null);
  const attributions = await attributor.attribute(todo, {
    useNotes: false,
    recover: true,
    withPrompts: options.withPrompts,
    notesSynced: true,
  });
  const written: CommitAttribution[] = [];
  for (const attribution of attributions) {
    const records = noteRecords(attribution);
    if (records.length === 0) continue;
    await runGit(["notes", `--ref=${NOTES_REF}`, "add", "-f", "-F", "-", attribution.commit.sha], {
      cwd: repo.root,
      input: serializeNote(records),
    });
    written.push(attribution);
  }
  return { examined: todo.length, written, skipped: all.length - todo.length };
}

export interface NotesSyncResult {
  /** "merged", "fast-forward" (no local notes yet), "up-to-date", or "none" (the remote has no notes). */
  outcome: "merged" | "fast-forward" | "up-to-date" | "none";
}

/** Fetches `remote`'s notes and unions them into the local notes ref. */
export async function pullNotes(repo: Repository, remote: string): Promise<NotesSyncResult> {
  checkRemote(remote);
  const fetchArgs = ["fetch", "--quiet", "--no-tags", "--end-of-options", remote, `+${NOTES_REF}:${FETCHED_NOTES_REF}`];
  const fetched = await runGitRaw(fetchArgs, { cwd: repo.root });
  if (fetched.code !== 0) {
    if (/couldn't find remote ref/i.test(fetched.stderr)) return { outcome: "none" };
    throw gitError(fetchArgs, fetched);
  }
  const theirs = await refValue(repo, FETCHED_NOTES_REF);
  if (theirs === null) return { outcome: "none" };
  // Under the notes lock: a background post-commit hook may be writing a note meanwhile.
  return withNotesLock(repo, async (): Promise<NotesSyncResult> => {
    const ours = await refValue(repo, NOTES_REF);
    if (ours === null) {
      await runGit(["update-ref", NOTES_REF, theirs], { cwd: repo.root });
      return { outcome: "fast-forward" };
    }
    if (ours === theirs) return { outcome: "up-to-date" };
    await runGit(["notes", `--ref=${NOTES_REF}`, "merge", "--quiet", "--strategy=cat_sort_uniq", FETCHED_NOTES_REF], {
      cwd: repo.root,
    });
    return { outcome: "merged" };
  });
}

/** Pulls (union), then pushes the notes ref; one retry when the remote moved between the two. */
export async function pushNotes(repo: Repository, remote: string): Promise<{ pushed: boolean }> {
  checkRemote(remote);
  for (let attempt = 0; ; attempt++) {
    await pullNotes(repo, remote);
    if ((await refValue(repo, NOTES_REF)) === null) return { pushed: false };
    const args = ["push", "--quiet", "--end-of-options", remote, `${NOTES_REF}:${NOTES_REF}`];
    const result = await runGitRaw(args, { cwd: repo.root });
    if (result.code === 0) return { pushed: true };
    if (attempt >= 1 || !/rejected|non-fast-forward|fetch first/i.test(result.stderr)) throw gitError(args, result);
  }
}

/** A remote is a name or URL; never something git could read as an option. */
function checkRemote(remote: string): void {
  if (remote === "" || remote.startsWith("-") || /[\0\n]/.test(remote)) {
    throw new AiBlameError("usage", `invalid remote: ${JSON.stringify(remote)}`);
  }
}
