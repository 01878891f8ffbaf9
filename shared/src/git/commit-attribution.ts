// Which of the lines a commit added were written by which AI edit. Sources, in order: the commit's own note (when
// reading, e.g. `log`), the local traces (the file as it is in that commit, content from git, attributed like blame
// attributes a buffer), and — to recover commits made elsewhere from noted commits (a host's squash merge, a
// cherry-pick, a rebase without the hook) — the notes of noted commits that are not ancestors of it, matched by line
// content. `notes add`, `log` and `export` all go through here.

import { realpathSync } from "node:fs";
import { join } from "node:path";
import type { LineOwnerJson } from "../contract";
import type { Snapshot } from "../engine-api";
import { matchLines } from "../attribution/line-diff";
import { normalizePath } from "../util/paths";
import { readObjects } from "./cat-file";
import { type AddedRange, addedLines } from "./commit-diff";
import { MAX_PROMPT, type NoteEdit, type NoteFileRecord, NOTE_SCHEMA, NOTE_VERSION, type ParsedNote } from "./note-format";
import type { NotesReader } from "./notes-reader";
import { redactSecrets } from "./redact";
import type { CommitSummary, Repository } from "./repository";
import { recoveryCandidates } from "./recovery-candidates";

export type AttributionSource = "note" | "trace" | "none";

export interface FileAttribution {
  path: string;
  /** Lines the commit added to this file. */
  added: number;
  /** AI-written added lines as ranges of the file in the commit, ascending, each with its edit. */
  owned: Array<{ start: number; end: number; edit: NoteEdit }>;
}

export interface CommitAttribution {
  commit: CommitSummary;
  files: FileAttribution[];
  /** Where the attribution came from: the commit's note, traces (and recovery), or nothing to attribute. */
  source: AttributionSource;
}

export interface AttributeOptions {
  /** Use a commit's existing note instead of computing (reading); false when writing notes. */
  useNotes: boolean;
  /** Match lines no trace explains against notes of non-ancestor commits. */
  recover: boolean;
  /** Keep the first 500 characters of prompts, secrets redacted. */
  withPrompts: boolean;
  /** The caller has just synced the notes reader (no second look at the notes ref). */
  notesSynced?: boolean;
}

const CHUNK = 100;

export class CommitAttributor {
  private readonly tracedFiles: Set<string>;
  private readonly root: string;
  /** Noted commits outside the history being noted (recovery-candidates.ts), asked for once. */
  private candidates: Promise<string[]> | null = null;
  private recovery: Promise<RecoveryIndex> | null = null;

  /** `recoveryCacheDir`: where recovery keeps its candidates between runs (recovery-candidates.ts); null: nowhere. */
  constructor(
    private readonly repo: Repository,
    private readonly snapshot: Snapshot,
    private readonly notes: NotesReader,
    private readonly recoveryCacheDir: string | null = null,
  ) {
    this.tracedFiles = new Set(snapshot.events().map((e) => e.file));
    let root = repo.root;
    try {
      root = normalizePath(realpathSync(repo.root));
    } catch {
      // keep git's spelling
    }
    this.root = root;
  }

  /** Attribution of each commit (same order). */
  async attribute(commits: CommitSummary[], options: AttributeOptions): Promise<CommitAttribution[]> {
    if (!options.notesSynced) await this.notes.sync();
    // Which commits have a note, found for all of them in one walk of the notes tree (not once per chunk).
    if (options.useNotes) await this.notes.noted(commits.map((c) => c.sha));
    const out: CommitAttribution[] = [];
    for (let i = 0; i < commits.length; i += CHUNK) {
      out.push(...(await this.attributeChunk(commits.slice(i, i + CHUNK), commits.map((c) => c.sha), options)));
    }
    return out;
  }

  private async attributeChunk(commits: CommitSummary[], tips: string[], options: AttributeOptions): Promise<CommitAttribution[]> {
    const added = await addedLines(this.repo, commits.map((c) => c.sha));
    const noted = options.useNotes ? await this.notes.notesOf(commits.map((c) => c.sha)) : new Map<string, ParsedNote>();
    // A file no trace knows can only be recovered: when there is nothing to recover from (no noted commit outside
    // the history being noted, the usual case), its content is not read at all.
    if (options.recover && this.anyUntraced(commits, added, noted)) this.candidates ??= recoveryCandidates(this.repo, this.notes, tips, this.recoveryCacheDir);
    const recoverable = options.recover && (this.candidates === null || (await this.candidates).length > 0);
    // Contents needed: files of commits without a usable note that traces know, or all of them when recovering.
    const wanted: string[] = [];
    for (const commit of commits) {
      if (noted.has(commit.sha)) continue;
      for (const path of added.get(commit.sha)?.keys() ?? []) {
        if (recoverable || this.tracedFiles.has(join(this.root, path))) wanted.push(`${commit.sha}:${path}`);
      }
    }
    const contents = await readObjects(this.repo.root, wanted);
    const result: CommitAttribution[] = [];
    for (const commit of commits) {
      const files = added.get(commit.sha) ?? new Map<string, AddedRange[]>();
      const note = noted.get(commit.sha);
      if (note) {
        result.push({ commit, source: "note", files: [...files].map(([path, ranges]) => fromNote(path, ranges, note)) });
        continue;
      }
      const attributed: FileAttribution[] = [];
      for (const [path, ranges] of files) {
        const object = contents.get(`${commit.sha}:${path}`);
        const text = object && !object.content.subarray(0, 8192).includes(0) ? object.content.toString("utf8") : null;
        const owners = new Map<number, NoteEdit>();
        if (text !== null && this.tracedFiles.has(join(this.root, path))) this.fromTraces(path, text, ranges, owners, options);
        if (text !== null && options.recover && unowned(ranges, owners)) {
          this.candidates ??= recoveryCandidates(this.repo, this.notes, tips, this.recoveryCacheDir);
          const candidates = this.candidates;
          this.recovery ??= candidates.then((c) => RecoveryIndex.build(this.repo, this.notes, c));
          (await this.recovery).match(path, text, ranges, owners);
        }
        attributed.push({ path, added: ranges.reduce((n, [, c]) => n + c, 0), owned: toRanges(ranges, owners) });
      }
      const any = attributed.some((f) => f.owned.length > 0);
      result.push({ commit, files: attributed, source: any ? "trace" : "none" });
    }
    return result;
  }

  /** Whether a commit to attribute (one without a usable note) added lines to a file no trace knows. */
  private anyUntraced(commits: CommitSummary[], added: Map<string, Map<string, AddedRange[]>>, noted: Map<string, ParsedNote>): boolean {
    for (const commit of commits) {
      if (noted.has(commit.sha)) continue;
      for (const path of added.get(commit.sha)?.keys() ?? []) if (!this.tracedFiles.has(join(this.root, path))) return true;
    }
    return false;
  }

  private fromTraces(path: string, text: string, ranges: AddedRange[], owners: Map<number, NoteEdit>, options: AttributeOptions): void {
    const blame = this.snapshot.blame(join(this.root, path), text);
    const edits = new Map<LineOwnerJson, NoteEdit>();
    for (const [start, count] of ranges) {
      for (let line = start; line < start + count; line++) {
        const owner = blame.lines[line - 1]?.owner;
        if (!owner) continue;
        let edit = edits.get(owner);
        if (!edit) {
          edit = noteEditOf(owner, path, options.withPrompts);
          edits.set(owner, edit);
        }
        owners.set(line, edit);
      }
    }
  }

}

/** The note edit of a trace owner: ids use the repository path, never this machine's absolute path. */
export function noteEditOf(owner: LineOwnerJson, path: string, withPrompts: boolean): NoteEdit {
  const edit: NoteEdit = {
    id: `${owner.agent}:${owner.sessionId}:${owner.toolCallId}:${path}`,
    agent: owner.agent,
    agentVersion: owner.agentVersion,
    model: owner.model,
    sessionId: owner.sessionId,
    timestamp: owner.timestamp,
    toolCallId: owner.toolCallId,
    action: owner.action,
  };
  if (withPrompts && owner.promptText) edit.prompt = redactSecrets(owner.promptText.slice(0, MAX_PROMPT));
  return edit;
}

function unowned(ranges: AddedRange[], owners: Map<number, NoteEdit>): boolean {
  for (const [start, count] of ranges) for (let line = start; line < start + count; line++) if (!owners.has(line)) return true;
  return false;
}

function fromNote(path: string, ranges: AddedRange[], note: ParsedNote): FileAttribution {
  const owners = new Map<number, NoteEdit>();
  for (const r of note.files.get(path) ?? []) {
    for (const [start, count] of ranges) {
      const from = Math.max(start, r.start);
      const to = Math.min(start + count - 1, r.end);
      for (let line = from; line <= to; line++) if (!owners.has(line)) owners.set(line, r.edit);
    }
  }
  return { path, added: ranges.reduce((n, [, c]) => n + c, 0), owned: toRanges(ranges, owners) };
}

function toRanges(ranges: AddedRange[], owners: Map<number, NoteEdit>): FileAttribution["owned"] {
  const out: FileAttribution["owned"] = [];
  for (const [start, count] of ranges) {
    for (let line = start; line < start + count; line++) {
      const edit = owners.get(line);
      if (!edit) continue;
      const last = out[out.length - 1];
      if (last && last.edit === edit && last.end === line - 1) last.end = line;
      else out.push({ start: line, end: line, edit });
    }
  }
  return out;
}

/** The note records of one commit's attribution (one per file with AI lines). */
export function noteRecords(attribution: CommitAttribution): NoteFileRecord[] {
  const records: NoteFileRecord[] = [];
  for (const file of attribution.files) {
    if (file.owned.length === 0) continue;
    const edits: NoteEdit[] = [];
    const index = new Map<NoteEdit, number>();
    const ranges: Array<[number, number, number]> = [];
    for (const r of file.owned) {
      let i = index.get(r.edit);
      if (i === undefined) {
        i = edits.length;
        edits.push(r.edit);
        index.set(r.edit, i);
      }
      ranges.push([r.start, r.end, i]);
    }
    records.push({ schema: NOTE_SCHEMA, version: NOTE_VERSION, path: file.path, edits, ranges });
  }
  return records;
}

/**
 * Line owners from the notes of noted commits that are not ancestors of the commits being noted (the commits a
 * squash, cherry-pick or rebase copied from). Each noted version of the same path is aligned with the new content by
 * a line diff (so repeated and blank lines follow their neighbours); lines still unowned are looked up by their text
 * in any noted file (code moved to another file). Blank lines are never looked up by text.
 */
class RecoveryIndex {
  private constructor(
    private readonly byPath: Map<string, Array<{ lines: string[]; edits: Array<NoteEdit | undefined> }>>,
    private readonly anyPath: Map<string, NoteEdit>,
  ) {}

  /** `candidates`: the noted commits to learn from (the commits being noted and their ancestors are not). */
  static async build(repo: Repository, notes: NotesReader, candidates: string[]): Promise<RecoveryIndex> {
    if (candidates.length === 0) return new RecoveryIndex(new Map(), new Map());
    const parsed = await notes.notesOf(candidates);
    const wanted: Array<[string, string]> = [];
    for (const [commit, note] of parsed) for (const path of note.files.keys()) wanted.push([commit, path]);
    const contents = await readObjects(repo.root, wanted.map(([c, p]) => `${c}:${p}`));
    const byPath = new Map<string, Array<{ lines: string[]; edits: Array<NoteEdit | undefined> }>>();
    const anyPath = new Map<string, NoteEdit>();
    for (const [commit, path] of wanted) {
      const object = contents.get(`${commit}:${path}`);
      const note = parsed.get(commit);
      if (!object || !note) continue;
      const lines = object.content.toString("utf8").split("\n");
      const edits: Array<NoteEdit | undefined> = new Array(lines.length);
      for (const r of note.files.get(path) ?? []) {
        for (let line = r.start; line <= Math.min(r.end, lines.length); line++) {
          edits[line - 1] ??= r.edit;
          const key = (lines[line - 1] ?? "").trimEnd();
          if (key.trim() !== "" && !anyPath.has(key)) anyPath.set(key, r.edit);
        }
      }
      const versions = byPath.get(path) ?? [];
      versions.push({ lines, edits });
      byPath.set(path, versions);
    }
    return new RecoveryIndex(byPath, anyPath);
  }

  match(path: string, text: string, ranges: AddedRange[], owners: Map<number, NoteEdit>): void {
    if (this.anyPath.size === 0) return;
    const lines = text.split("\n");
    const added = new Set<number>();
    for (const [start, count] of ranges) for (let line = start; line < start + count; line++) added.add(line);
    for (const version of this.byPath.get(path) ?? []) {
      const kept = matchLines(version.lines, lines);
      for (const line of added) {
        if (owners.has(line)) continue;
        const from = kept[line - 1] ?? -1;
        const edit = from >= 0 ? version.edits[from] : undefined;
        if (edit) owners.set(line, edit);
      }
    }
    for (const line of added) {
      if (owners.has(line)) continue;
      const key = (lines[line - 1] ?? "").trimEnd();
      if (key.trim() === "") continue;
      const edit = this.anyPath.get(key);
      if (edit) owners.set(line, edit);
    }
  }
}
