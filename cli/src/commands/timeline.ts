// `ai-blame timeline`: the project's AI edits, newest first, in the reference's table layout; `-n` limits the rows
// (0 = all) and `--show-session` adds the session id (the prefix `transcript view` takes). `--json` prints the
// filtered list oldest first, as the TimelineEntryJson contract says: all of it, or the newest N with `-n N`.

import { type Command, Option } from "commander";
import { sessionPrefixLength } from "@ai-blame/shared";
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
  showSession?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("timeline")
    .description("show the AI edits of this project, newest first")
    .addOption(new Option("-n, --limit <N>", "show at most N edits (0 = all)").argParser(parseLimit).default(50))
    .option("--show-session", "add a column with the session id (as much of it as `transcript view` needs)")
    .option("--json", "print the matching edits as a JSON array, oldest first (all of them unless -n is given)");
  addTraceOptions(cmd);
  addFilterOptions(cmd);
  cmd.action(async (opts: TimelineOptions) => {
    const filter = filterFrom(opts);
    const { snapshot } = await openSnapshot(opts, io);
    const entries = snapshot.timeline(filter);
    if (opts.json) {
      // The default -n is for the table; a -n given on the command line keeps the newest N, still oldest first.
      const limited = cmd.getOptionValueSource("limit") === "cli" && opts.limit > 0;
      printJson(io, limited ? entries.slice(Math.max(0, entries.length - opts.limit)) : entries);
      return;
    }
    const shown = opts.limit > 0 ? entries.slice(Math.max(0, entries.length - opts.limit)) : entries;
    const sessionIdLength = opts.showSession
      ? sessionPrefixLength(
          snapshot.sessions().map((s) => s.sessionId),
          shown.map((e) => e.sessionId),
        )
      : 0;
    io.stdout.write(formatTimeline(entries, opts.limit, io.color, sessionIdLength));
  });
}
