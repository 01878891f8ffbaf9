// "Previous AI edit of this line": the owner a line had just before the edit that owns it now. The current line is
// traced back into the content that edit wrote (a line diff against the current text), then into the content it
// replaced (the same line of the replaced run, by position); that earlier content is attributed from the events
// before the edit alone, so the answer is a blame of the file as it was, mapped to this line.

import type { LineOwnerJson } from "../contract";
import type { ContentStore } from "../store/content-store";
import { compareEvents, type EditEvent } from "../events/edit-event";
import { attributeFile, type AttributionResult } from "./attribute";
import { editContents } from "./edit-contents";
import { matchLines } from "./line-diff";
import { normalizeEol } from "./text";

export interface PreviousOwner {
  /** The edit that wrote the line before `target` replaced it. */
  owner: LineOwnerJson;
  /** 0-based line of the content just before `target` that the earlier edit wrote. */
  line0: number;
}

function linesOf(text: string): string[] {
  const lines = normalizeEol(text).split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The line of `before` that `afterLine` of `after` kept or replaced: a kept line maps to itself; a changed line maps
 * to the line at the same offset within the run it replaced (the run's last line when the new run is longer). Null
 * when the edit inserted lines where there were none.
 */
export function lineBefore(before: readonly string[], after: readonly string[], afterLine: number): number | null {
  const match = matchLines(before, after);
  const kept = match[afterLine] ?? -1;
  if (kept >= 0) return kept;
  let runStart = afterLine;
  while (runStart > 0 && (match[runStart - 1] ?? -1) < 0) runStart--;
  let runEnd = afterLine;
  while (runEnd + 1 < after.length && (match[runEnd + 1] ?? -1) < 0) runEnd++;
  const replacedStart = runStart > 0 ? (match[runStart - 1] as number) + 1 : 0;
  const replacedEnd = runEnd + 1 < after.length ? (match[runEnd + 1] as number) : before.length;
  if (replacedEnd <= replacedStart) return null;
  return Math.min(replacedStart + (afterLine - runStart), replacedEnd - 1);
}

/**
 * The owner of `line0` of `currentText` as of just before `target` (one of `fileEvents`, the file's events): null
 * when the traces cannot tell the content around `target`, when `target` inserted the line, or when no earlier AI
 * edit wrote the line it replaced (a person did, or the traces do not know).
 */
export function previousLineOwner(
  target: EditEvent,
  fileEvents: readonly EditEvent[],
  contents: Pick<ContentStore, "get" | "known">,
  currentText: string,
  line0: number,
): PreviousOwner | null {
  const sorted = [...fileEvents].sort(compareEvents);
  const around = editContents(target, sorted, (key) => contents.get(key));
  if (!around) return null;
  const current = linesOf(currentText);
  const after = linesOf(around.after);
  if (line0 < 0 || line0 >= current.length) return null;
  const inAfter = matchLines(after, current)[line0] ?? -1;
  if (inAfter < 0) return null;
  const beforeLine = lineBefore(linesOf(around.before), after, inAfter);
  if (beforeLine === null) return null;
  const index = sorted.findIndex((e) => e.id === target.id);
  const earlier = sorted.slice(0, index);
  if (earlier.length === 0) return null;
  const result: AttributionResult = attributeFile(earlier, contents, around.before);
  const owner = result.lines[beforeLine]?.owner;
  return owner ? { owner, line0: beforeLine } : null;
}
