// Reads the notes of `refs/notes/ai-blame` for many commits at once: one `git notes list` for the commit → note map
// (cached until the notes ref moves) and one `git cat-file --batch` for the note blobs not parsed yet (cached by
// blob id, so an LSP server re-blaming a document reads no note twice). A reader can also be restored from the
// blame cache (the ref's sha, the commits checked and their note blobs), then it answers those without git.

import { readObjects } from "./cat-file";
import { MAX_NOTE_BYTES, NOTES_REF, parseNote, type ParsedNote } from "./note-format";
import { refValue, type Repository } from "./repository";
import { gitError, runGitRaw } from "./run-git";

export class NotesReader {
  private refSha: string | null | undefined = undefined;
  private noteOfCommit = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedNote>();
  /** Raw note blobs restored from the blame cache, read instead of asking git. */
  private readonly restored = new Map<string, Buffer>();

  constructor(
    readonly repo: Repository,
    private readonly warn: (message: string) => void,
    readonly ref: string = NOTES_REF,
  ) {}

  /** Reloads the commit → note map if the notes ref moved since the last call (`known`: its value, just read). */
  async sync(known?: string | null): Promise<void> {
    const now = known === undefined ? await refValue(this.repo, this.ref) : known;
    if (now === this.refSha) return;
    this.refSha = now;
    this.noteOfCommit = new Map();
    if (now === null) return;
    const args = ["notes", `--ref=${this.ref}`, "list"];
    const run = await runGitRaw(args, { cwd: this.repo.root });
    if (run.code !== 0) throw gitError(args, run);
    // `<blob> <commit>` per line (hex: one latin1 string, then substrings; 10,000 notes need no split and array).
    const out = run.stdout.toString("latin1");
    for (let at = 0; at < out.length; ) {
      let eol = out.indexOf("\n", at);
      if (eol < 0) eol = out.length;
      const space = out.indexOf(" ", at);
      if (space > at && space < eol - 1) this.noteOfCommit.set(out.substring(space + 1, eol), out.substring(at, space));
      at = eol + 1;
    }
  }

  /** The notes ref's sha seen by the last `sync` (undefined before any). */
  get syncedRef(): string | null | undefined {
    return this.refSha;
  }

  /** Takes the ref's sha, commit → note map and note blobs from the blame cache instead of a `sync`. */
  restore(ref: string | null, noteOfCommit: Map<string, string>, blobs: Map<string, Buffer>): void {
    this.refSha = ref;
    this.noteOfCommit = new Map(noteOfCommit);
    for (const [blob, content] of blobs) this.restored.set(blob, content);
  }

  /** The note blob of a commit (after `sync`), or undefined when it has none. */
  noteBlobOf(commit: string): string | undefined {
    return this.noteOfCommit.get(commit);
  }

  /** Commits that have a note (after `sync`). */
  notedCommits(): string[] {
    return [...this.noteOfCommit.keys()];
  }

  hasNote(commit: string): boolean {
    return this.noteOfCommit.has(commit);
  }

  /** Parsed notes of the given commits (commits without a note are absent). Call `sync` first. */
  async notesOf(commits: Iterable<string>, keep?: Map<string, Buffer>): Promise<Map<string, ParsedNote>> {
    const result = new Map<string, ParsedNote>();
    const missing: string[] = [];
    const wanted: Array<[string, string]> = [];
    for (const commit of new Set(commits)) {
      const blob = this.noteOfCommit.get(commit);
      if (!blob) continue;
      wanted.push([commit, blob]);
      if (!this.parsed.has(blob)) missing.push(blob);
    }
    if (missing.length > 0) {
      const commitOfBlob = new Map(wanted.map(([commit, blob]) => [blob, commit]));
      const blobs = [...new Set(missing)];
      const unread = blobs.filter((blob) => !this.restored.has(blob));
      const read = await readObjects(this.repo.root, unread);
      // A blob git did not answer for at all (cut-short output) stays unparsed, as before the cache existed.
      const objects = blobs.flatMap((blob): Array<[string, { content: Buffer } | null]> => {
        const content = this.restored.get(blob);
        if (content) return [[blob, { content }]];
        return read.has(blob) ? [[blob, read.get(blob) ?? null]] : [];
      });
      for (const [blob, object] of objects) {
        if (object) keep?.set(blob, object.content);
        const where = `commit ${(commitOfBlob.get(blob) ?? blob).slice(0, 12)}`;
        if (object && object.content.length > MAX_NOTE_BYTES) {
          // Refused before it is decoded.
          this.warn(`ignoring the ai-blame note of ${where}: ${object.content.length} bytes is more than ${MAX_NOTE_BYTES}`);
          this.parsed.set(blob, { files: new Map(), records: [] });
          continue;
        }
        this.parsed.set(blob, parseNote(object ? object.content.toString("utf8") : "", where, this.warn));
      }
    }
    for (const [commit, blob] of wanted) {
      const note = this.parsed.get(blob);
      if (note) result.set(commit, note);
    }
    return result;
  }
}
