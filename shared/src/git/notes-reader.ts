// Reads the notes of `refs/notes/ai-blame`. For given commits (a blame's, `notes add`'s, `log`'s) the notes are found
// by walking the notes tree and read in one `git cat-file --batch` process (notes-tree.ts), so a repository with
// 10,000 notes costs a blame of a file from 200 commits only those 200; what was looked up is kept until the notes
// ref moves. Only callers that need every note (`stats --lines`, recovery from scratch) list them all with
// `git notes list`. Parsed notes are cached by blob id, so an LSP server re-blaming a document reads no note twice. A
// reader can also be restored from the blame cache (the ref's sha, the commits checked and their note blobs), then it
// answers those without git.

import { MAX_NOTE_BYTES, NOTES_REF, parseNote, type ParsedNote } from "./note-format";
import { CatFileSession, findNoteBlobs } from "./notes-tree";
import { refValue, type Repository } from "./repository";
import { gitError, runGitRaw } from "./run-git";

export class NotesReader {
  private refSha: string | null | undefined = undefined;
  /** Commit → note blob, for the commits looked up (or all, once listed) at refSha; null: checked, no note. */
  private noteOfCommit = new Map<string, string | null>();
  private listed = false;
  private readonly parsed = new Map<string, ParsedNote>();
  /** Raw note blobs restored from the blame cache, read instead of asking git. */
  private readonly restored = new Map<string, Buffer>();

  constructor(
    readonly repo: Repository,
    private readonly warn: (message: string) => void,
    readonly ref: string = NOTES_REF,
  ) {}

  /** Forgets what it knew if the notes ref moved since the last call (`known`: its value, just read). */
  async sync(known?: string | null): Promise<void> {
    const now = known === undefined ? await refValue(this.repo, this.ref) : known;
    if (now === this.refSha) return;
    this.refSha = now;
    this.noteOfCommit = new Map();
    this.listed = now === null;
  }

  /** Every commit that has a note (after `sync`): one `git notes list`. */
  async allNotedCommits(): Promise<string[]> {
    if (!this.listed && this.refSha) {
      const args = ["notes", `--ref=${this.ref}`, "list"];
      const run = await runGitRaw(args, { cwd: this.repo.root });
      if (run.code !== 0) throw gitError(args, run);
      // `<blob> <commit>` per line (hex: one latin1 string, then substrings; 10,000 notes need no split and array).
      const out = run.stdout.toString("latin1");
      const all = new Map<string, string | null>();
      for (let at = 0; at < out.length; ) {
        let eol = out.indexOf("\n", at);
        if (eol < 0) eol = out.length;
        const space = out.indexOf(" ", at);
        if (space > at && space < eol - 1) all.set(out.substring(space + 1, eol), out.substring(at, space));
        at = eol + 1;
      }
      this.noteOfCommit = all;
      this.listed = true;
    }
    return [...this.noteOfCommit].flatMap(([commit, blob]) => (blob === null ? [] : [commit]));
  }

  /** The notes ref's sha seen by the last `sync` (undefined before any). */
  get syncedRef(): string | null | undefined {
    return this.refSha;
  }

  /** Takes the ref's sha, commit → note map (null: no note) and note blobs from the blame cache instead of a `sync`. */
  restore(ref: string | null, noteOfCommit: Map<string, string | null>, blobs: Map<string, Buffer>): void {
    this.refSha = ref;
    this.noteOfCommit = new Map(noteOfCommit);
    this.listed = false;
    for (const [blob, content] of blobs) this.restored.set(blob, content);
  }

  /** The note blob of a commit looked up by `notesOf`/`noted`, or undefined when it has none. */
  noteBlobOf(commit: string): string | undefined {
    return this.noteOfCommit.get(commit) ?? undefined;
  }

  /** Those of `commits` that have a note (after `sync`). */
  async noted(commits: Iterable<string>): Promise<Set<string>> {
    const wanted = [...new Set(commits)];
    await this.lookUp(wanted, null);
    return new Set(wanted.filter((c) => typeof this.noteOfCommit.get(c) === "string"));
  }

  /** Finds the note blobs of the commits not looked up yet, with `session` (or a session of its own). */
  private async lookUp(commits: string[], session: CatFileSession | null): Promise<void> {
    if (this.listed) return;
    const unknown = commits.filter((c) => !this.noteOfCommit.has(c));
    if (unknown.length === 0) return;
    const ref = this.refSha;
    let found = new Map<string, string>();
    if (ref) {
      const own = session ?? new CatFileSession(this.repo.root);
      try {
        found = await findNoteBlobs(own, ref, unknown);
      } finally {
        if (!session) own.close();
      }
    }
    for (const commit of unknown) this.noteOfCommit.set(commit, found.get(commit) ?? null);
  }

  /** Parsed notes of the given commits (commits without a note are absent). Call `sync` first. */
  async notesOf(commits: Iterable<string>, keep?: Map<string, Buffer>): Promise<Map<string, ParsedNote>> {
    const result = new Map<string, ParsedNote>();
    const asked = [...new Set(commits)];
    let session: CatFileSession | null = null;
    try {
      if (!this.listed && asked.some((c) => !this.noteOfCommit.has(c))) {
        session = new CatFileSession(this.repo.root);
        await this.lookUp(asked, session);
      }
      const wanted: Array<[string, string]> = [];
      const missing: string[] = [];
      for (const commit of asked) {
        const blob = this.noteOfCommit.get(commit);
        if (!blob) continue;
        wanted.push([commit, blob]);
        if (!this.parsed.has(blob)) missing.push(blob);
      }
      if (missing.length > 0) {
        const commitOfBlob = new Map(wanted.map(([commit, blob]) => [blob, commit]));
        const blobs = [...new Set(missing)];
        const unread = blobs.filter((blob) => !this.restored.has(blob));
        if (unread.length > 0) session ??= new CatFileSession(this.repo.root);
        const read = new Map<string, { content: Buffer } | null>();
        if (session && unread.length > 0) (await session.read(unread)).forEach((object, i) => read.set(unread[i] ?? "", object));
        for (const blob of blobs) {
          const restored = this.restored.get(blob);
          const object = restored ? { content: restored } : (read.get(blob) ?? null);
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
    } finally {
      session?.close();
    }
    return result;
  }
}
