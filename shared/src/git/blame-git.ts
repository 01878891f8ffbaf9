// Blame in a git repository: the trace attribution of a file, with each line's commit from `git blame --porcelain`
// (`--contents -` for an unsaved buffer) and, for committed lines no local trace explains, the owner recorded in
// that commit's note (the line's number in that commit finds its range). Local traces win where both exist.
// The CLI and the LSP server both blame through GitBlamer, so a teammate's clone answers the same in both.

import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, sep } from "node:path";
import type { BlameBlockJson, BlameJson, BlameLineJson, LineOwnerJson } from "../contract";
import type { BlameOptions, Snapshot } from "../engine-api";
import { gitBlame } from "./blame-porcelain";
import { type NoteEdit, noteEditAt, ownerFromNote, type ParsedNote } from "./note-format";
import { NotesReader } from "./notes-reader";
import { findRepository, type Repository } from "./repository";

export class GitBlamer {
  readonly notes: NotesReader;

  private constructor(
    readonly repo: Repository,
    warn: (message: string) => void,
  ) {
    this.notes = new NotesReader(repo, warn);
  }

  /** The blamer of the repository holding `dir`, or null outside git. */
  static async open(dir: string, warn: (message: string) => void): Promise<GitBlamer | null> {
    const repo = await findRepository(dir);
    return repo ? new GitBlamer(repo, warn) : null;
  }

  /** The path of `abs` relative to the work tree root with `/`, or null when it is outside the work tree. */
  repoPath(abs: string): string | null {
    const rel = relative(realOrSelf(this.repo.root), realFile(abs));
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
    return rel.split(sep).join("/");
  }

  /** `snapshot.blame(abs, text)` with commits and note owners (see the file comment). */
  async blame(snapshot: Snapshot, abs: string, text?: string, options?: BlameOptions): Promise<BlameJson> {
    const traced = snapshot.blame(abs, text, options);
    const rel = this.repoPath(abs);
    const gitLines = rel === null ? null : await gitBlame(this.repo, rel, text);
    if (gitLines === null) {
      // Untracked or outside the work tree: no line has a commit yet.
      return { ...traced, lines: traced.lines.map((l) => ({ ...l, commit: null, source: l.owner ? "trace" : null })) };
    }
    const needNotes = new Set<string>();
    traced.lines.forEach((line, i) => {
      const commit = gitLines[i]?.commit;
      if (!line.owner && commit) needNotes.add(commit.sha);
    });
    let notes = new Map<string, ParsedNote>();
    if (needNotes.size > 0) {
      await this.notes.sync();
      notes = await this.notes.notesOf(needNotes);
    }
    const owners = new Map<NoteEdit, LineOwnerJson>();
    let fromNotes = 0;
    const lines: BlameLineJson[] = traced.lines.map((line, i) => {
      const commit = gitLines[i]?.commit ?? null;
      if (line.owner) return { ...line, commit, source: "trace" };
      const note = commit ? notes.get(commit.sha) : undefined;
      const edit = note && commit ? noteEditAt(note, commit.path, commit.line) : null;
      if (!edit) return { ...line, commit, source: null };
      let owner = owners.get(edit);
      if (!owner) {
        owner = ownerFromNote(edit);
        owners.set(edit, owner);
      }
      fromNotes++;
      return { ...line, owner, reason: null, commit, source: "note" };
    });
    return { ...traced, lines, blocks: fromNotes > 0 ? blocksOf(lines) : traced.blocks };
  }
}

/** Maximal runs of lines with the same owner (by identity), reason and flags. */
function blocksOf(lines: BlameLineJson[]): BlameBlockJson[] {
  const blocks: BlameBlockJson[] = [];
  for (const line of lines) {
    const open = blocks[blocks.length - 1];
    if (
      open &&
      open.owner === line.owner &&
      open.reason === line.reason &&
      open.reformatted === line.reformatted &&
      open.moved === line.moved
    ) {
      open.end = line.line;
      continue;
    }
    const block: BlameBlockJson = { start: line.line, end: line.line, owner: line.owner, reason: line.reason };
    if (line.reformatted) block.reformatted = true;
    if (line.moved) block.moved = true;
    blocks.push(block);
  }
  return blocks;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The real path of a file that may not exist (an unsaved buffer's path): its folder resolved, its name kept. */
function realFile(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return `${realOrSelf(dirname(abs))}${sep}${abs.slice(dirname(abs).length + 1)}`;
  }
}
