// `ai-blame timeline`: the project's AI edits, newest first, in the reference's table layout; `-n` limits the rows
// (0 = all). `--json` prints the whole filtered list oldest first, as the TimelineEntryJson contract says.

import { type Command, InvalidArgumentError, Option } from "commander";
import type { TimelineEntryJson } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { addFilterOptions, addTraceOptions, type FilterOptionValues, filterFrom, type TraceOptionValues } from "../options";
import { type Painter, painter } from "../output/color";
import { printJson } from "../output/json";
import { agentLabel, formatSecond, padRight, plural, tailPath } from "../output/text";

interface TimelineOptions extends TraceOptionValues, FilterOptionValues {
  limit: number;
  json?: boolean;
}

/** A count ≥ 0 for `-n/--limit`. */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number (0 = all)");
  return Number.parseInt(value, 10);
}

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
      `${padRight(formatSecond(e.timestamp), 20)} ${paintAction(p, e.action, padRight(e.action, 10))} ` +
      `${padRight(tailPath(e.file, 48), 50)} ${padRight(e.model, 25)} ${agentLabel(e.agent, e.agentVersion)}`;
    out.push(row.trimEnd());
  }
  const hidden = newestFirst.length - shown.length;
  if (hidden > 0) {
    out.push("", `... and ${plural(hidden, "more edit")} (use -n 0 to show all or -n <N> to show more)`);
  }
  out.push("", `Total edits found: ${entries.length}`);
  return `${out.join("\n")}\n`;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("timeline")
    .description("show the AI edits of this project, newest first")
    .addOption(new Option("-n, --limit <N>", "show at most N edits (0 = all)").argParser(parseCount).default(50))
    .option("--json", "print all matching edits as a JSON array, oldest first");
  addTraceOptions(cmd);
  addFilterOptions(cmd);
  cmd.action(async (opts: TimelineOptions) => {
    const filter = filterFrom(opts);
    const { snapshot } = await openSnapshot(opts, io);
    const entries = snapshot.timeline(filter);
    if (opts.json) printJson(io, entries);
    else io.stdout.write(formatTimeline(entries, opts.limit, io.color));
  });
}
