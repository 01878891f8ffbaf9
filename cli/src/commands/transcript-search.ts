// `ai-blame transcript search QUERY`: the project's sessions whose conversation contains QUERY (or matches it with
// `-e`), with up to three snippets each, as the reference prints them or as JSON. The search itself is the engine's
// (`Snapshot.searchTranscripts`); this file maps the flags and lays out the result. Trace text is printed with its
// control characters escaped and nothing that could break a row.

import { type Command, Option } from "commander";
import {
  escapeCell as safe,
  truncate,
  type TranscriptSearchHit,
  type TranscriptSearchOptions,
  type TranscriptSearchResult,
} from "@ai-blame/shared";
import type { CliIo } from "../io";
import { openSnapshot } from "../open";
import { addTraceOptions, parseDateArg, parseLimit, type TraceOptionValues } from "../options";
import { printJson } from "../output/json";
import { createProgress } from "../output/progress";
import { formatMinute } from "../output/text";

/** The flags: the engine's search options (commander names them alike), the trace flags, and the layout. */
interface SearchOptions extends TraceOptionValues, Omit<TranscriptSearchOptions, "query"> {
  limit: number;
  format: "table" | "json";
  json?: boolean;
}

function hitLines(hit: TranscriptSearchHit): string[] {
  const t = hit.transcript;
  const start = t.startTime ? formatMinute(t.startTime) : "-";
  const lines = [`${truncate(safe(t.sessionId), 36)} | ${safe(t.agent)} | ${start} | ${t.messageCount} msgs`];
  for (const m of hit.matches) lines.push(`  └─ [${m.blockType}] ${truncate(safe(m.snippet.replace(/\s*\n\s*/g, " ")), 100)}`);
  return lines;
}

/** The reference's layout: a heading, one row per session with its snippets, and how to open one. */
export function formatSearchResult(query: string, result: TranscriptSearchResult, limit: number): string {
  const total = result.totalMatches;
  if (total === 0) return `\nNo transcripts found matching '${safe(query)}'\n`;
  const shown = limit > 0 ? result.matchingTranscripts.slice(0, limit) : result.matchingTranscripts;
  const out = ["", `=== Search Results for '${safe(query)}' ===`, `Found ${total} matching transcript${total === 1 ? "" : "s"}`, ""];
  for (const hit of shown) out.push(...hitLines(hit), "");
  if (shown.length < total) out.push(`... showing ${shown.length} of ${total} matches (use -n 0 for all)`, "");
  out.push("Use 'ai-blame transcript view <session-id>' to view a transcript");
  return `${out.join("\n")}\n`;
}

export function registerSearch(transcript: Command, io: CliIo): void {
  const search = transcript
    .command("search")
    .description("find the sessions whose conversation contains QUERY (a regular expression with -e)")
    .argument("<QUERY>", "text to find (any case unless -s), or a regular expression with -e")
    .option("-e, --regex", "QUERY is a regular expression (JavaScript syntax, matched within one line)")
    .option("-s, --case-sensitive", "match case")
    .option("--session <text>", "only sessions whose id contains this text")
    .option("--agent <text>", "only sessions of an agent whose name contains this text (any case)")
    .option("--model <text>", "only sessions with a message from a model whose id contains this text (any case)")
    .addOption(new Option("--since <date>", "only sessions started at or after this date (YYYY-MM-DD, ISO date-time, or 2.weeks, 3 days ago, yesterday)").argParser(parseDateArg))
    .addOption(new Option("--until <date>", "only sessions started at or before this date (a bare date includes the whole day)").argParser(parseDateArg))
    .addOption(new Option("-n, --limit <N>", "show at most N sessions (0 = all)").argParser(parseLimit).default(20))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--json", "same as --format json");
  addTraceOptions(search);
  search.action(async (query: string, opts: SearchOptions) => {
    const { snapshot } = await openSnapshot(opts, io);
    const progress = createProgress(io, Date.now, "Searching transcripts");
    const result = await snapshot
      .searchTranscripts({ ...opts, query }, (p) => progress.update(p))
      .finally(() => progress.done());
    if (result.unreadable > 0) io.stderr.write(`ai-blame: warning: ${result.unreadable} trace file(s) could not be read\n`);
    if (opts.json || opts.format === "json") {
      const matchingTranscripts = opts.limit > 0 ? result.matchingTranscripts.slice(0, opts.limit) : result.matchingTranscripts;
      printJson(io, { matchingTranscripts, totalMatches: result.totalMatches });
    } else {
      io.stdout.write(formatSearchResult(query, result, opts.limit));
    }
  });
}
