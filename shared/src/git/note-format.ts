// The note format of `refs/notes/ai-blame` (docs/notes-format.md): one JSON object per line, one line per file of the
// commit, each carrying its own schema version, the AI edits it refers to and line ranges of that commit's version
// of the file. One object per line makes git's `cat_sort_uniq` notes merge a union of records: notes written by two
// people for the same commit both survive, and identical records collapse. Reading is defensive: notes come from
// other people's clones, so a bad line, an unknown version, a bad range or an oversized note is skipped with a warning.

import type { LineOwnerJson } from "../contract";

type EditAction = LineOwnerJson["action"];

export const NOTES_REF = "refs/notes/ai-blame";
export const NOTE_SCHEMA = "ai-blame/note";
export const NOTE_VERSION = 1;
/** Notes larger than this are ignored whole (a note lists ranges and a few edits; megabytes mean abuse). */
export const MAX_NOTE_BYTES = 4 * 1024 * 1024;
/** Line numbers beyond this are rejected (a range past any real file's end). */
export const MAX_NOTE_LINE = 1_000_000;
const MAX_FIELD = 300;
export const MAX_PROMPT = 500;

export interface NoteEdit {
  /** The edit event id (stable across clones: agent, session, tool call, file). */
  id: string;
  agent: string;
  agentVersion: string | null;
  model: string;
  sessionId: string;
  /** ISO 8601 UTC of the edit. */
  timestamp: string;
  toolCallId: string;
  action: EditAction;
  /** First 500 characters of the prompt, secrets redacted; only with `notes add --with-prompts`. */
  prompt?: string | null;
}

/** One line of a note: the AI-written lines of one file as it is in the noted commit. */
export interface NoteFileRecord {
  schema: typeof NOTE_SCHEMA;
  version: typeof NOTE_VERSION;
  path: string;
  edits: NoteEdit[];
  /** `[start, end, edit index]`, 1-based inclusive lines of the file in the noted commit, ascending. */
  ranges: Array<[number, number, number]>;
}

/** A parsed note: per path, ranges sorted by start, each pointing at its edit. */
export interface ParsedNote {
  files: Map<string, NoteRange[]>;
  records: NoteFileRecord[];
}

export interface NoteRange {
  start: number;
  end: number;
  edit: NoteEdit;
}

/** The note text of a commit: its records one per line, sorted by path (stable, so equal notes are equal text). */
export function serializeNote(records: NoteFileRecord[]): string {
  return records
    .slice()
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((r) => JSON.stringify(r))
    .join("\n")
    .concat(records.length > 0 ? "\n" : "");
}

/** Parses note text; whatever is invalid is reported through `warn` (naming `where`) and left out. */
export function parseNote(text: string, where: string, warn: (message: string) => void): ParsedNote {
  const note: ParsedNote = { files: new Map(), records: [] };
  if (text.length > MAX_NOTE_BYTES) {
    warn(`ignoring the ai-blame note of ${where}: ${text.length} bytes is more than ${MAX_NOTE_BYTES}`);
    return note;
  }
  let bad = 0;
  let firstProblem = "";
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      bad++;
      firstProblem ||= "a line is not JSON";
      continue;
    }
    const problem = checkRecord(value);
    if (problem !== null) {
      bad++;
      firstProblem ||= problem;
      continue;
    }
    const record = value as NoteFileRecord;
    note.records.push(record);
    const ranges = note.files.get(record.path) ?? [];
    for (const [start, end, index] of record.ranges) {
      const edit = record.edits[index];
      if (edit) ranges.push({ start, end, edit });
    }
    note.files.set(record.path, ranges);
  }
  for (const ranges of note.files.values()) ranges.sort((a, b) => a.start - b.start);
  if (bad > 0) warn(`ignoring ${bad} invalid record${bad === 1 ? "" : "s"} of the ai-blame note of ${where} (${firstProblem})`);
  return note;
}

/** The edit a note gives line `line` of `path`, or null (the first range listed wins where records overlap). */
export function noteEditAt(note: ParsedNote, path: string, line: number): NoteEdit | null {
  const ranges = note.files.get(path);
  if (!ranges) return null;
  let lo = 0;
  let hi = ranges.length - 1;
  // Last range starting at or before the line; overlapping ranges are few, so look back a little for a cover.
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid]?.start ?? 0) <= line) lo = mid + 1;
    else hi = mid - 1;
  }
  for (let i = hi; i >= 0 && i >= hi - 8; i--) {
    const r = ranges[i];
    if (r && r.start <= line && line <= r.end) return r.edit;
  }
  return null;
}

function isShortString(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_FIELD;
}

function isLine(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_NOTE_LINE;
}

/** Null when `value` is a valid record of a version we read, else what is wrong with it. */
function checkRecord(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return "a record is not an object";
  const r = value as Record<string, unknown>;
  if (r["schema"] !== NOTE_SCHEMA) return "unknown schema";
  if (r["version"] !== NOTE_VERSION) return `unsupported version ${JSON.stringify(r["version"])}`;
  if (!isShortString(r["path"]) || r["path"] === "") return "bad path";
  const edits = r["edits"];
  const ranges = r["ranges"];
  if (!Array.isArray(edits) || !Array.isArray(ranges)) return "edits or ranges missing";
  for (const e of edits) {
    if (typeof e !== "object" || e === null) return "bad edit";
    const edit = e as Record<string, unknown>;
    for (const key of ["id", "agent", "model", "sessionId", "timestamp", "toolCallId"]) {
      if (!isShortString(edit[key])) return `bad edit field ${key}`;
    }
    if (edit["agentVersion"] !== null && !isShortString(edit["agentVersion"])) return "bad edit field agentVersion";
    if (edit["action"] !== "CREATED" && edit["action"] !== "EDITED" && edit["action"] !== "DELETED") return "bad action";
    const prompt = edit["prompt"];
    if (prompt !== undefined && prompt !== null && (typeof prompt !== "string" || prompt.length > MAX_PROMPT + 1)) {
      return "bad prompt";
    }
  }
  for (const range of ranges) {
    if (!Array.isArray(range) || range.length !== 3) return "bad range";
    const [start, end, index] = range as unknown[];
    if (!isLine(start) || !isLine(end) || (end as number) < (start as number)) return "range past the end of any file";
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= edits.length) return "bad edit index";
  }
  return null;
}

/** The blame owner of a line from a note's edit (no trace file: the edit is known only through the note). */
export function ownerFromNote(edit: NoteEdit): LineOwnerJson {
  return {
    timestamp: edit.timestamp,
    model: edit.model,
    agent: edit.agent,
    agentVersion: edit.agentVersion,
    sessionId: edit.sessionId,
    action: edit.action,
    toolCallId: edit.toolCallId,
    promptId: null,
    promptText: edit.prompt ?? null,
    eventId: edit.id,
    traceFile: "",
  };
}
