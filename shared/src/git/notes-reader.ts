// Reads the notes of `refs/notes/ai-blame` for many commits at once: one `git notes list` for the commit → note map
// (cached until the notes ref moves) and one `git cat-file --batch` for the note blobs not parsed yet (cached by
// blob id, so an LSP server re-blaming a document reads no note twice).

import { readObjects } from "./cat-file";
import { MAX_NOTE_BYTES, NOTES_REF, parseNote, type ParsedNote } from "./note-format";
import { refValue, type Repository } from "./repository";
import { runGit } from "./run-git";

export class NotesReader {
  private refSha: string | null | undefined = undefined;
  private noteOfCommit = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedNote>();

  constructor(
    readonly repo: Repository,
    private readonly warn: (message: string) => void,
    readonly ref: string = NOTES_REF,
  ) {}

  /** Reloads the commit → note map if the notes ref moved since the last call. */
  async sync(): Promise<void> {
    const now = await refValue(this.repo, this.ref);
    if (now === this.refSha) return;
    this.refSha = now;
    this.noteOfCommit = new Map();
    if (now === null) return;
    const out = await runGit(["notes", `--ref=${this.ref}`, "list"], { cwd: this.repo.root });
    for (const line of out.split("\n")) {
      const [blob, commit] = line.split(" ");
      if (blob && commit) this.noteOfCommit.set(commit, blob);
    }
  }

  /** Commits that have a note (after `sync`). */
  notedCommits(): string[] {
    return [...this.noteOfCommit.keys()];
  }

  hasNote(commit: string): boolean {
    return this.noteOfCommit.has(commit);
  }

  /** Parsed notes of the given commits (commits without a note are absent). Call `sync` first. */
  async notesOf(commits: Iterable<string>): Promise<Map<string, ParsedNote>> {
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
      const objects = await readObjects(this.repo.root, [...new Set(missing)]);
      for (const [blob, object] of objects) {
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
