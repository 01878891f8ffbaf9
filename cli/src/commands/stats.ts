// `ai-blame stats`: what the index knows about this project — trace files, sessions, edit events, files, counts by
// model and agent, malformed lines skipped, events kept from deleted traces. `--json` prints the StatsJson contract.
// `--lines` instead gives the share of the current lines by owner, overall and per directory (engine lineShares).

import type { Command } from "commander";
import { escapeControlChars, GitBlamer, lineShares } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { addFilterOptions, addTraceOptions, type FilterOptionValues, filterFrom, type TraceOptionValues } from "../options";
import { printJson } from "../output/json";
import { formatLineShares } from "../output/line-shares-text";
import { formatStats } from "../output/stats-text";

interface StatsOptions extends TraceOptionValues, FilterOptionValues {
  json?: boolean;
  lines?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("stats")
    .description("show statistics about the traces and AI edits of this project")
    .option("--json", "print the statistics as JSON")
    .option("--lines", "share of the current lines by owner (model/agent, changed after AI, no trace), per directory too");
  addTraceOptions(cmd);
  addFilterOptions(cmd);
  cmd.action(async (opts: StatsOptions) => {
    const filter = filterFrom(opts);
    // Plain stats counts the index's rows only: its record files need not be checked (EngineOptions.countsOnly).
    const { engine, snapshot } = await openSnapshot(opts, io, { countsOnly: !opts.lines });
    if (opts.lines) {
      const projectDir = engine.options.projectDir;
      const warn = (message: string) => io.stderr.write(`ai-blame: warning: ${escapeControlChars(message)}\n`);
      const shares = await lineShares(snapshot, projectDir, await GitBlamer.open(projectDir, warn), filter.pattern ?? null);
      if (opts.json) printJson(io, shares);
      else io.stdout.write(formatLineShares(shares));
      return;
    }
    const stats = snapshot.stats(Object.keys(filter).length > 0 ? filter : undefined);
    if (opts.json) printJson(io, stats);
    else io.stdout.write(formatStats(stats, engine.watchRoots(), filter.pattern ?? null, io.color));
  });
}
