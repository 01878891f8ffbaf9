// `ai-blame timeline`: the project's AI edits, newest first, in the reference's table layout; `-n` limits the rows
// (0 = all). `--json` prints the whole filtered list oldest first, as the TimelineEntryJson contract says.

import { type Command, Option } from "commander";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import {
  addFilterOptions,
  addTraceOptions,
  type FilterOptionValues,
  filterFrom,
  parseLimit,
  type TraceOptionValues,
} from "../options";
import { printJson } from "../output/json";
import { formatTimeline } from "../output/timeline-text";

interface TimelineOptions extends TraceOptionValues, FilterOptionValues {
  limit: number;
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("timeline")
    .description("show the AI edits of this project, newest first")
    .addOption(new Option("-n, --limit <N>", "show at most N edits (0 = all)").argParser(parseLimit).default(50))
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
