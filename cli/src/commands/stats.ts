// `ai-blame stats`: what the index knows about this project — trace files, sessions, edit events, files, counts by
// model and agent, malformed lines skipped, events kept from deleted traces. `--json` prints the StatsJson contract.

import type { Command } from "commander";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { addFilterOptions, addTraceOptions, type FilterOptionValues, filterFrom, type TraceOptionValues } from "../options";
import { printJson } from "../output/json";
import { formatStats } from "../output/stats-text";

interface StatsOptions extends TraceOptionValues, FilterOptionValues {
  json?: boolean;
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
