// Turns one successful Claude Code file tool call (Write, Edit, MultiEdit, NotebookEdit) into the change an edit
// event carries: whole contents go to the ContentStore, and the post-edit text is computed only when the recorded
// edits apply unambiguously to the recorded pre-edit file (string match, else the line-numbered structuredPatch).
// Each stored content gets its line fingerprint beside its key, so replay can check it without loading it. A large
// pre-edit file cut out of the line (result-tokens.ts) is kept as a reference instead, and the post-edit text of an
// Edit is then left to replay (before + edits), so neither is decoded, hashed or stored when the trace is read.

import type { Fingerprinter } from "../../attribution/fingerprint";
import type { EditAction, EditChange, StringEdit, StructuredHunk } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { hunkLinesSize, sizeOf } from "../../traces/apply-patch";
import { asArray, asRecord, asString, type Json } from "../../traces/common";
import { placeholder, type ResultToken, type TokenField } from "./result-tokens";

export const CLAUDE_EDIT_TOOLS = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit"]);

export interface EditSpec {
  /** The path as recorded (absolute in real traces). */
  path: string;
  action: EditAction;
  change: EditChange;
  changeSize: number;
}

/**
 * The edit of a successful tool call, from its result (preferred) and its input; null when there is no file.
 * `fingerprints` is the parser's (it derives a file's next version's fingerprint from the previous one).
 */
export function claudeEdit(
  name: string,
  input: Json | undefined,
  result: Json | undefined,
  contents: ContentStore,
  fingerprints: Fingerprinter,
  tokens?: ReadonlyMap<TokenField, ResultToken>,
): EditSpec | null {
  const r = result ?? {};
  const i = input ?? {};
  switch (name) {
    case "Write":
      return writeEdit(i, r, contents, fingerprints, tokens);
    case "Edit":
    case "MultiEdit":
      return stringEdits(i, r, contents, fingerprints, tokens);
    case "NotebookEdit":
      return notebookEdit(i, r);
    default:
      return null;
  }
}

/** The tool name implied by a result's shape, for results whose tool call is not in the file. */
export function inferToolName(result: Json): string | null {
  if (result.type === "create" || result.type === "update") return typeof result.content === "string" ? "Write" : null;
  if (Array.isArray(result.edits)) return "MultiEdit";
  if (typeof result.oldString === "string" && typeof result.newString === "string") return "Edit";
  return null;
}

/** A whole-file text of the result: cut out of the line (a token) or parsed (a string). */
function textField(result: Json, field: TokenField, tokens: ReadonlyMap<TokenField, ResultToken> | undefined): ResultToken | string | undefined {
  const value = asString(result[field]);
  const token = tokens?.get(field);
  return token !== undefined && value === placeholder(field) ? token : value;
}

function writeEdit(
  input: Json,
  result: Json,
  contents: ContentStore,
  fingerprints: Fingerprinter,
  tokens: ReadonlyMap<TokenField, ResultToken> | undefined,
): EditSpec | null {
  const path = asString(result.filePath) ?? asString(input.file_path);
  const content = asString(result.content) ?? asString(input.content);
  if (!path || content === undefined) return null;
  const hunks = readHunks(result.structuredPatch);
  const created = result.type === "create";
  const original = textField(result, "originalFile", tokens);
  // The change size of an overwrite without hunks needs the old text: it is then decoded and stored at once.
  const before = typeof original === "object" && (contents.putRef === undefined || hunks.length === 0) ? original.text() : original;
  const change: EditChange = { after: contents.put(content) };
  if (typeof before === "object") change.before = contents.putRef!(before.ref);
  else if (before !== undefined) {
    change.before = contents.put(before);
    change.beforeFp = fingerprints.of(before, path);
  }
  // After the before text: the content is then derived from it (Write of an existing file changes a few lines).
  change.afterFp = fingerprints.of(content, path);
  if (hunks.length > 0) change.hunks = hunks;
  const changeSize = created ? content.length : hunks.length > 0 ? hunkSize(hunks) : sizeOf(typeof before === "string" ? before : "", content);
  return { path, action: created ? "CREATED" : "EDITED", change, changeSize };
}

function stringEdits(
  input: Json,
  result: Json,
  contents: ContentStore,
  fingerprints: Fingerprinter,
  tokens: ReadonlyMap<TokenField, ResultToken> | undefined,
): EditSpec | null {
  const path = asString(result.filePath) ?? asString(input.file_path);
  if (!path) return null;
  const edits = readEdits(result) ?? readEdits(input);
  if (!edits || edits.length === 0) return null;
  const original = textField(result, "originalFile", tokens) ?? textField(result, "originalFileContents", tokens);
  const before = typeof original === "object" && contents.putRef === undefined ? original.text() : original;
  const hunks = readHunks(result.structuredPatch);
  const change: EditChange = { edits };
  if (hunks.length > 0) change.hunks = hunks;
  let action: EditAction = "EDITED";
  if (typeof before === "object") {
    // The after text is what replay derives from this before and the edits: not computed (nor stored) here.
    change.before = contents.putRef!(before.ref);
  } else if (before !== undefined) {
    change.before = contents.put(before);
    change.beforeFp = fingerprints.of(before, path);
    const after = applyStringEdits(before, edits) ?? applyHunks(before, hunks);
    if (after !== null) {
      change.after = contents.put(after);
      change.afterFp = fingerprints.of(after, path);
    }
  } else if (edits.length === 1 && edits[0]!.oldString === "") {
    // Edit with an empty old_string on a missing file creates it.
    change.after = contents.put(edits[0]!.newString);
    change.afterFp = fingerprints.of(edits[0]!.newString, path);
    action = "CREATED";
  }
  const changeSize = edits.reduce((sum, e) => sum + sizeOf(e.oldString, e.newString), 0);
  return { path, action, change, changeSize };
}

function notebookEdit(input: Json, result: Json): EditSpec | null {
  const path = asString(input.notebook_path) ?? asString(result.notebook_path) ?? asString(result.filePath);
  if (!path) return null;
  const source = asString(input.new_source) ?? asString(result.new_source) ?? "";
  // Notebook edits address cells, not lines of the .ipynb JSON: the event records that the file changed.
  return { path, action: "EDITED", change: {}, changeSize: source.length };
}

function readEdits(record: Json): StringEdit[] | undefined {
  const list = asArray(record.edits);
  if (list) {
    const edits: StringEdit[] = [];
    for (const item of list) {
      const e = asRecord(item);
      const oldString = asString(e?.old_string) ?? asString(e?.oldString);
      const newString = asString(e?.new_string) ?? asString(e?.newString);
      if (oldString === undefined || newString === undefined) return undefined;
      edits.push({ oldString, newString, replaceAll: e?.replace_all === true || e?.replaceAll === true });
    }
    return edits;
  }
  const oldString = asString(record.oldString) ?? asString(record.old_string);
  const newString = asString(record.newString) ?? asString(record.new_string);
  if (oldString === undefined || newString === undefined) return undefined;
  return [{ oldString, newString, replaceAll: record.replaceAll === true || record.replace_all === true }];
}

function readHunks(value: unknown): StructuredHunk[] {
  const list = asArray(value);
  if (!list) return [];
  const hunks: StructuredHunk[] = [];
  for (const item of list) {
    const h = asRecord(item);
    if (!h) return [];
    const { oldStart, oldLines, newStart, newLines } = h;
    const lines = asArray(h.lines);
    if (!isCount(oldStart) || !isCount(oldLines) || !isCount(newStart) || !isCount(newLines) || !lines) return [];
    for (const l of lines) if (typeof l !== "string") return [];
    hunks.push({
      oldStart: oldStart as number,
      oldLines: oldLines as number,
      newStart: newStart as number,
      newLines: newLines as number,
      lines: lines as string[],
    });
  }
  return hunks;
}

function isCount(n: unknown): boolean {
  return typeof n === "number" && Number.isInteger(n) && n >= 0;
}

function hunkSize(hunks: StructuredHunk[]): number {
  let size = 0;
  for (const h of hunks) size += hunkLinesSize(h.lines);
  return size;
}

/** Applies old→new replacements in order; null when an old string is missing, or not unique without replaceAll. */
export function applyStringEdits(text: string, edits: StringEdit[]): string | null {
  let current = text;
  for (const edit of edits) {
    if (edit.oldString === "") {
      if (current !== "") return null;
      current = edit.newString;
      continue;
    }
    const first = current.indexOf(edit.oldString);
    if (first === -1) return null;
    if (edit.replaceAll) {
      current = current.split(edit.oldString).join(edit.newString);
      continue;
    }
    if (current.indexOf(edit.oldString, first + 1) !== -1) return null;
    current = current.slice(0, first) + edit.newString + current.slice(first + edit.oldString.length);
  }
  return current;
}

/** Applies structuredPatch hunks at their recorded line numbers; null when the pre-edit lines do not match. */
export function applyHunks(text: string, hunks: StructuredHunk[]): string | null {
  if (hunks.length === 0) return null;
  const trailingNewline = text.endsWith("\n");
  const lines = text === "" ? [] : (trailingNewline ? text.slice(0, -1) : text).split("\n");
  const out: string[] = [];
  let pos = 0;
  for (const hunk of hunks) {
    // Line numbers are 1-based; an empty old range (oldLines 0) inserts after line oldStart.
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < pos || start > lines.length) return null;
    // One by one: spreading a slice of a 200k-line file into push() overflows the stack.
    for (let i = pos; i < start; i++) out.push(lines[i]!);
    let cursor = start;
    for (const line of hunk.lines) {
      const tag = line[0];
      const body = line.slice(1);
      if (tag === " " || tag === "-") {
        if (lines[cursor] !== body && lines[cursor]?.replace(/\r$/, "") !== body) return null;
        cursor++;
        if (tag === " ") out.push(lines[cursor - 1]!);
      } else if (tag === "+") {
        out.push(body);
      }
      // "\ No newline at end of file" markers carry no line.
    }
    pos = cursor;
  }
  for (let i = pos; i < lines.length; i++) out.push(lines[i]!);
  return out.length === 0 ? "" : out.join("\n") + (trailingNewline ? "\n" : "");
}

/** Characters a pending call's kept input may hold; a larger one is dropped (its result carries the edit anyway). */
const MAX_PENDING_INPUT_CHARS = 16 * 1024 * 1024;

/**
 * The fields of a tool input that the edit needs, as strings and booleans only (never the trace's own nesting,
 * which could be 100k levels deep and make the state unserialisable), and capped in size.
 */
export function slimInput(input: Json | undefined): Json | null {
  if (!input) return null;
  const keep: Json = {};
  let chars = 0;
  for (const key of ["file_path", "notebook_path", "content", "old_string", "new_string", "new_source"]) {
    const value = input[key];
    if (typeof value !== "string") continue;
    keep[key] = value;
    chars += value.length;
  }
  if (typeof input.replace_all === "boolean") keep.replace_all = input.replace_all;
  if (Array.isArray(input.edits)) {
    const edits: Json[] = [];
    for (const item of input.edits) {
      const e = asRecord(item);
      const oldString = asString(e?.old_string) ?? asString(e?.oldString);
      const newString = asString(e?.new_string) ?? asString(e?.newString);
      // One malformed replacement makes the whole list unusable (as readEdits decides): keep none.
      if (oldString === undefined || newString === undefined) {
        edits.length = 0;
        break;
      }
      edits.push({ old_string: oldString, new_string: newString, replace_all: e?.replace_all === true || e?.replaceAll === true });
      chars += oldString.length + newString.length;
    }
    if (edits.length > 0) keep.edits = edits;
  }
  return chars > MAX_PENDING_INPUT_CHARS ? null : keep;
}
