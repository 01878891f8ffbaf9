// Turns one Gemini CLI tool call into a file change. Any successful call whose `resultDisplay` is a FileDiff
// (`filePath`, `originalContent`, `newContent`, `isNewFile`, `diffStat`) gives the whole file before and after —
// `write_file`, `replace` and tools added later alike; a `write_file` without it gives `args.content`, a `replace`
// without it its old/new strings. When the user modified the proposal in the confirmation dialog
// (`args.modified_by_user`, or `diffStat.user_*` counts), only lines the model proposed (`args.ai_proposed_content`)
// stay the model's: the change is narrowed to them and the user's lines are left to whoever edits after.

import { lineFingerprint } from "../../attribution/fingerprint";
import { matchLines } from "../../attribution/line-diff";
import type { EditAction, EditChange } from "../../events/edit-event";
import type { ContentStore } from "../../store/content-store";
import { sizeOf } from "../../traces/apply-patch";
import { asRecord, asString, type Json } from "../../traces/common";

export interface GeminiEdit {
  /** As recorded: absolute in `resultDisplay.filePath`, possibly relative in `args.file_path`. */
  path: string;
  action: EditAction;
  change: EditChange;
  changeSize: number;
}

export type GeminiEditResult = { kind: "edit"; edit: GeminiEdit } | { kind: "none" } | { kind: "unprovable" };

function userModified(args: Json, diff: Json | undefined): boolean {
  if (args.modified_by_user === true) return true;
  const stat = asRecord(diff?.diffStat);
  const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  return stat !== undefined && n(stat.user_added_lines) + n(stat.user_removed_lines) > 0;
}

/**
 * The file as the model left it: `after` without the lines it gained that the model never proposed. Lines of
 * `before` that `after` keeps stay; an added line stays only while the proposal still has an unused copy of it.
 */
export function modelVersion(before: string, after: string, proposal: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  const offered = new Map<string, number>();
  for (const line of proposal.split("\n")) offered.set(line, (offered.get(line) ?? 0) + 1);
  const kept = matchLines(a, b);
  const out: string[] = [];
  for (let i = 0; i < b.length; i++) {
    const line = b[i]!;
    if (kept[i]! >= 0) out.push(line);
    else {
      const left = offered.get(line) ?? 0;
      if (left > 0) {
        offered.set(line, left - 1);
        out.push(line);
      }
    }
  }
  return out.join("\n");
}

function wholeFile(contents: ContentStore, before: string | null, after: string, isNew: boolean): EditChange {
  const change: EditChange = { after: contents.put(after), afterFp: lineFingerprint(after) };
  if (before !== null && !isNew) {
    change.before = contents.put(before);
    change.beforeFp = lineFingerprint(before);
  }
  return change;
}

/** The edit a successful tool call made, `none` when it edits no file, `unprovable` when the user's lines cannot be told apart. */
export function geminiEdit(call: Json, contents: ContentStore): GeminiEditResult {
  const name = asString(call.name) ?? "";
  const args = asRecord(call.args) ?? {};
  const display = asRecord(call.resultDisplay);
  const newContent = asString(display?.newContent);
  const argPath = asString(args.file_path) ?? asString(args.absolute_path);
  if (display && newContent !== undefined) {
    const path = asString(display.filePath) ?? argPath;
    if (!path) return { kind: "none" };
    const original = display.originalContent;
    const before = typeof original === "string" ? original : null;
    const isNew = display.isNewFile === true || original === null;
    let after = newContent;
    if (userModified(args, display)) {
      const proposal = asString(args.ai_proposed_content);
      if (proposal === undefined) return { kind: "unprovable" };
      after = modelVersion(isNew ? "" : (before ?? ""), newContent, proposal);
    }
    const change = wholeFile(contents, before, after, isNew);
    return { kind: "edit", edit: { path, action: isNew ? "CREATED" : "EDITED", change, changeSize: sizeOf(isNew ? "" : (before ?? ""), after) } };
  }
  if (name === "write_file" && argPath && typeof args.content === "string") {
    if (args.modified_by_user === true) return { kind: "unprovable" };
    const after = args.content;
    return { kind: "edit", edit: { path: argPath, action: "EDITED", change: wholeFile(contents, null, after, true), changeSize: after.length } };
  }
  if (name === "replace" && argPath && typeof args.old_string === "string" && typeof args.new_string === "string") {
    if (args.modified_by_user === true) return { kind: "unprovable" };
    const count = typeof args.expected_replacements === "number" ? args.expected_replacements : 1;
    const edits = [{ oldString: args.old_string, newString: args.new_string, replaceAll: args.replace_all === true || args.allow_multiple === true || count > 1 }];
    return { kind: "edit", edit: { path: argPath, action: "EDITED", change: { edits }, changeSize: sizeOf(args.old_string, args.new_string) } };
  }
  return { kind: "none" };
}
