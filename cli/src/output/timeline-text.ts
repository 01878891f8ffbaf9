// The human layout of `ai-blame timeline`, as the reference prints it: newest first, fixed-width columns, long
// paths cut from the left, a note when `-n` hid rows and the total. Pure: takes entries oldest first, returns text;
// trace strings are printed with their control characters escaped.

import { escapeControlChars as safe, type TimelineEntryJson } from "@ai-blame/shared";
import { type Painter, painter } from "./color";
import { agentLabel, formatSecond, padRight, plural, tailPath } from "./text";

function paintAction(p: Painter, action: string, cell: string): string {
  if (action === "CREATED") return p.green(cell);
  if (action === "DELETED") return p.red(cell);
  return p.yellow(cell);
}

/** Human layout of `timeline` (pure, for tests); `entries` oldest first as the engine returns them. */
export function formatTimeline(entries: TimelineEntryJson[], limit: number, color = false): string {
  if (entries.length === 0) return "No edits found.\n";
  const p = painter(color);
  const newestFirst = [...entries].reverse();
  const shown = limit > 0 ? newestFirst.slice(0, limit) : newestFirst;
  const out: string[] = ["", p.bold("=== Timeline of Actions ==="), `Showing ${shown.length} most recent ${shown.length === 1 ? "edit" : "edits"}`, ""];
  const header = `${padRight("Timestamp", 20)} ${padRight("Action", 10)} ${padRight("File", 50)} ${padRight("Model", 25)} Agent`;
  out.push(p.bold(header), "-".repeat(125));
  for (const e of shown) {
    const row =
      `${padRight(safe(formatSecond(e.timestamp)), 20)} ${paintAction(p, e.action, padRight(e.action, 10))} ` +
      `${padRight(tailPath(safe(e.file), 48), 50)} ${safe(e.model).padEnd(25)} ${safe(agentLabel(e.agent, e.agentVersion))}`;
    out.push(row.trimEnd());
  }
  const hidden = newestFirst.length - shown.length;
  if (hidden > 0) {
    out.push("", `... and ${plural(hidden, "more edit")} (use -n 0 to show all or -n <N> to show more)`);
  }
  out.push("", `Total edits found: ${entries.length}`);
  return `${out.join("\n")}\n`;
}
