// `ai-blame stats`: what the index knows about this project — trace files, sessions, edit events, files, counts by
// model and agent, malformed lines skipped, events kept from deleted traces. `--json` prints the StatsJson contract.

import type { Command } from "commander";
import type { StatsJson, WatchRoot } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { addFilterOptions, addTraceOptions, type FilterOptionValues, filterFrom, type TraceOptionValues } from "../options";
import { painter } from "../output/color";
import { printJson } from "../output/json";
import { padLeft, padRight, plural } from "../output/text";

interface StatsOptions extends TraceOptionValues, FilterOptionValues {
  json?: boolean;
}

/** Human layout of `stats` (pure, for tests). */
export function formatStats(stats: StatsJson, roots: WatchRoot[], pattern: string | null, color = false): string {
  const p = painter(color);
  const out: string[] = [];
  const existing = roots.filter((r) => r.exists);
  if (existing.length === 0) out.push(`Trace folders: ${p.dim("(none found)")}`);
  else {
    out.push(existing.length === 1 ? "Trace folder:" : "Trace folders:");
    for (const r of existing) out.push(`  ${r.path} ${p.dim(`(${r.agent})`)}`);
  }
  out.push(`Trace files: ${stats.traceFiles}`);
  out.push(`Sessions: ${stats.sessions}`);
  out.push("");
  out.push(pattern ? `Files with edits matching '${pattern}': ${stats.files}` : `Files with edits: ${stats.files}`);
  out.push(`Edit events: ${stats.events}`);
  const sections: Array<[string, Record<string, number>]> = [
    ["By model:", stats.byModel],
    ["By agent:", stats.byAgent],
  ];
  for (const [title, counts] of sections) {
    const entries = Object.entries(counts).sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0));
    if (entries.length === 0) continue;
    const width = Math.max(...entries.map(([k]) => Array.from(k).length), 10);
    const numWidth = Math.max(...entries.map(([, n]) => String(n).length));
    out.push("");
    out.push(title);
    for (const [key, n] of entries) out.push(`  ${padRight(key, width)}  ${padLeft(String(n), numWidth)}`);
  }
  const notes: string[] = [];
  if (stats.skippedLines > 0) notes.push(p.yellow(`Skipped ${plural(stats.skippedLines, "malformed line")}`));
  const unreadable = (stats as StatsJson & { unreadableTraceFiles?: number }).unreadableTraceFiles ?? 0;
  if (unreadable > 0) notes.push(p.yellow(`Could not read ${plural(unreadable, "trace file")}`));
  if (stats.eventsFromDeletedTraces > 0) {
    notes.push(`${plural(stats.eventsFromDeletedTraces, "event")} kept from deleted traces`);
  }
  if (notes.length > 0) out.push("", ...notes);
  return `${out.join("\n")}\n`;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("stats")
    .description("show statistics about the traces and AI edits of this project")
    .option("--json", "print the statistics as JSON");
  addTraceOptions(cmd);
  addFilterOptions(cmd);
  cmd.action(async (opts: StatsOptions) => {
    const filter = filterFrom(opts);
    const { engine, snapshot } = await openSnapshot(opts, io);
    const stats = snapshot.stats(Object.keys(filter).length > 0 ? filter : undefined);
    if (opts.json) printJson(io, stats);
    else io.stdout.write(formatStats(stats, engine.watchRoots(), filter.pattern ?? null, io.color));
  });
}
