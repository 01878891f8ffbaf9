// Blame in a git repository: the trace attribution of a file, with each line's commit from `git blame --porcelain`
// (`--contents -` for an unsaved buffer) and, for committed lines no local trace explains, the owner recorded in
// that commit's note (the line's number in that commit finds its range). Local traces win where both exist.
// The CLI and the LSP server both blame through GitBlamer, so a teammate's clone answers the same in both.
// With a cache folder (the CLI's data folder), the git blame and the notes it needed are kept on disk (blame-cache.ts)
// and a repeated blame of an unchanged file at the same HEAD and notes ref runs neither `git blame` nor the notes reads.

import { readFileSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, sep } from "node:path";
import type { BlameBlockJson, BlameJson, BlameLineJson, CommitJson, LineOwnerJson, OwnerSource } from "../contract";
import type { BlameOptions, Snapshot } from "../engine-api";
import { type BlameCacheEntry, type BlameCacheKey, type CachedNotes, readBlameCache, textSha, writeBlameCache } from "./blame-cache";
import { gitBlame } from "./blame-porcelain";
import { type NoteEdit, noteEditAt, ownerFromNote, type ParsedNote } from "./note-format";
import { NotesReader } from "./notes-reader";
import { findRepository, headAndRef, type Repository } from "./repository";

export interface GitBlamerOptions {
  /** Folder of the on-disk blame cache; absent or null keeps nothing on disk. */
  cacheDir?: string | null;
}

export class GitBlamer {
  readonly notes: NotesReader;

  private constructor(
    readonly repo: Repository,
    private readonly warn: (message: string) => void,
    private readonly cacheDir: string | null,
  ) {
    this.notes = new NotesReader(repo, warn);
  }

  /** The blamer of the repository holding `dir`, or null outside git. */
  static async open(dir: string, warn: (message: string) => void, options: GitBlamerOptions = {}): Promise<GitBlamer | null> {
    const repo = await findRepository(dir);
    return repo ? new GitBlamer(repo, warn, options.cacheDir ?? null) : null;
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
    // With the cache, HEAD (its key) and the notes ref (its notes' validity) are read by one git process.
    const refs = rel !== null && this.cacheDir ? await headAndRef(this.repo, this.notes.ref) : null;
    const key = rel === null || !refs ? null : this.cacheKey(abs, rel, text, refs.head);
    const cached = key && this.cacheDir ? readBlameCache(this.cacheDir, key) : null;
    // Lines no trace explains will want notes: the notes ref is looked at while git blame runs, not after it.
    const syncing = !cached && rel !== null && traced.lines.some((l) => !l.owner) ? this.notes.sync(refs ? refs.ref : undefined) : null;
    syncing?.catch(() => {}); // awaited below; a blame that fails first must not leave it unhandled
    const gitLines = cached ? cached.lines : rel === null ? null : await gitBlame(this.repo, rel, text);
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
    let cachedNotes = cached?.notes ?? null;
    if (needNotes.size > 0) {
      const hit = cachedNotes && refs && refs.ref === cachedNotes.ref && [...needNotes].every((c) => cachedNotes?.noteOf.has(c));
      if (hit && cachedNotes) {
        notes = await this.restoredNotes(cachedNotes).notesOf(needNotes);
      } else {
        await (syncing ?? this.notes.sync(refs ? refs.ref : undefined));
        const read = new Map<string, Buffer>();
        notes = await this.notes.notesOf(needNotes, read);
        cachedNotes = this.notesToCache(needNotes, read);
      }
    }
    if (key && this.cacheDir && (!cached || cachedNotes !== cached.notes)) {
      writeBlameCache(this.cacheDir, key, { lines: gitLines, notes: cachedNotes } satisfies BlameCacheEntry);
    }
    const owners = new Map<NoteEdit, LineOwnerJson>();
    let fromNotes = 0;
    const lines: BlameLineJson[] = new Array<BlameLineJson>(traced.lines.length);
    for (let i = 0; i < traced.lines.length; i++) {
      const line = traced.lines[i] as BlameLineJson;
      const commit = gitLines[i]?.commit ?? null;
      if (line.owner) {
        lines[i] = withCommit(line, line.owner, line.reason, commit, "trace");
        continue;
      }
      const note = commit ? notes.get(commit.sha) : undefined;
      const edit = note && commit ? noteEditAt(note, commit.path, commit.line) : null;
      if (!edit) {
        lines[i] = withCommit(line, null, line.reason, commit, null);
        continue;
      }
      let owner = owners.get(edit);
      if (!owner) {
        owner = ownerFromNote(edit);
        owners.set(edit, owner);
      }
      fromNotes++;
      lines[i] = withCommit(line, owner, null, commit, "note");
    }
    return { ...traced, lines, blocks: fromNotes > 0 ? blocksOf(lines) : traced.blocks };
  }

  /** The cache key of a blame: HEAD, path, and the hash of the buffer or of the work tree file; null without a cache. */
  private cacheKey(abs: string, rel: string, text: string | undefined, head: string | null): BlameCacheKey | null {
    if (!this.cacheDir) return null;
    let content: string | Buffer;
    try {
      content = text ?? readFileSync(abs);
    } catch {
      return null;
    }
    return { head, path: rel, fromBuffer: text !== undefined, textSha: textSha(content) };
  }

  /** A notes reader answering from cached notes (its own, so the shared reader's full map is never replaced). */
  private restoredNotes(cached: CachedNotes): NotesReader {
    const reader = new NotesReader(this.repo, this.warn, this.notes.ref);
    reader.restore(cached.ref, cached.noteOf, cached.blobs);
    return reader;
  }

  /** The notes just read for `commits`, to cache; null when a blob was parsed earlier and its bytes are not at hand. */
  private notesToCache(commits: Set<string>, read: Map<string, Buffer>): CachedNotes | null {
    const ref = this.notes.syncedRef;
    if (ref === undefined) return null;
    const cached: CachedNotes = { ref, noteOf: new Map(), blobs: new Map() };
    for (const commit of commits) {
      const blob = this.notes.noteBlobOf(commit) ?? null;
      cached.noteOf.set(commit, blob);
      if (blob === null) continue;
      const content = read.get(blob);
      if (!content) return null;
      cached.blobs.set(blob, content);
    }
    return cached;
  }
}

/**
 * A traced line with its commit and owner's source, fields in the order a spread would give them (the JSON output
 * keeps its key order); built field by field, a 10,000-line file costs one object per line and no spread.
 */
function withCommit(
  line: BlameLineJson,
  owner: LineOwnerJson | null,
  reason: BlameLineJson["reason"],
  commit: CommitJson | null,
  source: OwnerSource | null,
): BlameLineJson {
  if (line.reformatted || line.moved) return { ...line, owner, reason, commit, source };
  return { line: line.line, text: line.text, owner, reason, commit, source };
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
