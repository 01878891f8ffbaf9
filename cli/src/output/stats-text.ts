// The human layout of `ai-blame stats`: trace folders, counts, breakdowns by model and agent (largest first), and
// notes about what could not be used (malformed lines, unreadable traces) or survives only in the index. Model and
// agent names come from traces and are printed with their control characters escaped.

import { escapeCell as safe, type StatsJson, type WatchRoot } from "@ai-blame/shared";
import { painter } from "./color";
import { padLeft, padRight, plural, widest } from "./text";

/** Human layout of `stats` (pure, for tests). */
export function formatStats(stats: StatsJson, roots: WatchRoot[], pattern: string | null, color = false): string {
  const p = painter(color);
  const out: string[] = [];
  const existing = roots.filter((r) => r.exists);
  if (existing.length === 0) out.push(`Trace folders: ${p.dim("(none found)")}`);
  else {
    out.push(existing.length === 1 ? "Trace folder:" : "Trace folders:");
    for (const r of existing) out.push(`  ${safe(r.path)} ${p.dim(`(${r.agent})`)}`);
  }
  out.push(`Trace files: ${stats.traceFiles}`);
  out.push(`Sessions: ${stats.sessions}`);
  out.push("");
  out.push(pattern ? `Files with edits matching '${safe(pattern)}': ${stats.files}` : `Files with edits: ${stats.files}`);
  out.push(`Edit events: ${stats.events}`);
  const sections: Array<[string, Record<string, number>]> = [
    ["By model:", stats.byModel],
    ["By agent:", stats.byAgent],
  ];
  for (const [title, counts] of sections) {
    const entries = Object.entries(counts).map(([k, n]): [string, number] => [safe(k), n]).sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
    if (entries.length === 0) continue;
    const width = widest(entries.map(([k]) => k), 10);
    const numWidth = widest(entries.map(([, n]) => String(n)));
    out.push("");
    out.push(title);
    for (const [key, n] of entries) out.push(`  ${padRight(key, width)}  ${padLeft(String(n), numWidth)}`);
  }
  const notes: string[] = [];
  if (stats.skippedLines > 0) notes.push(p.yellow(`Skipped ${plural(stats.skippedLines, "malformed line")}`));
  const unreadable = stats.unreadableTraceFiles;
  if (unreadable > 0) notes.push(p.yellow(`Could not read ${plural(unreadable, "trace file")} (-v says why)`));
  if (stats.eventsFromDeletedTraces > 0) {
    notes.push(`${plural(stats.eventsFromDeletedTraces, "event")} kept from deleted traces`);
  }
  if (stats.outsideProject > 0) {
    notes.push(`${plural(stats.outsideProject, "edit")} outside the project (left out above)`);
  }
  if (notes.length > 0) out.push("", ...notes);
  return `${out.join("\n")}\n`;
}
