// Edits in a transcript as unified diffs, for the editor's rendered transcript: a Claude Edit/MultiEdit shows each
// old→new replacement as a diff, a Write shows the written content as added lines, a Codex apply_patch (already a
// patch) shows as it is. Anything else, or an input of an unexpected shape, gives null (shown as JSON instead).

import { createTwoFilesPatch } from "diff";

type Input = Record<string, unknown>;

function isInput(value: unknown): value is Input {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A diff of `before` → `after` without `Index:`/`===` lines and "No newline" notes (edit strings rarely end in one). */
function patch(file: string, before: string, after: string): string {
  const text = createTwoFilesPatch(file, file, before, after, "", "", { context: 2 });
  return text
    .split("\n")
    .filter((line) => !line.startsWith("Index:") && !line.startsWith("====") && !line.startsWith("\\ No newline"))
    .map((line) => (line.startsWith("--- ") || line.startsWith("+++ ") ? line.trimEnd() : line))
    .join("\n")
    .trimEnd();
}

/** The diff text of a tool call that edits files, or null. */
export function editDiff(toolName: string, input: unknown): string | null {
  if (typeof input === "string") return toolName === "apply_patch" || input.startsWith("*** Begin Patch") ? input : null;
  if (!isInput(input)) return null;
  const file = typeof input.file_path === "string" ? input.file_path : typeof input.path === "string" ? input.path : null;
  if (file === null) return null;
  if (toolName === "Write" && typeof input.content === "string") return patch(file, "", input.content);
  const edits = toolName === "MultiEdit" && Array.isArray(input.edits) ? input.edits : toolName === "Edit" ? [input] : null;
  if (!edits) return null;
  const parts: string[] = [];
  for (const edit of edits) {
    if (!isInput(edit) || typeof edit.old_string !== "string" || typeof edit.new_string !== "string") return null;
    parts.push(patch(file, edit.old_string, edit.new_string));
  }
  return parts.join("\n");
}
