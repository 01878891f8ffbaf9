// `ai-blame transcript list|view|search`: the conversations behind the edits (search is in transcript-search.ts). `list` shows the project's sessions newest
// first (subagents under their parent) as a table with selectable columns or JSON; `view SESSION` finds a session by
// id, subagent id, slug or trace path (or reads a trace file given by path) and renders it as text, markdown or JSON.
// Trace strings in the table are printed with their control characters, newlines and tabs made visible (one row each).

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import {
  escapeCell as safe,
  hideInjected,
  loadTranscript,
  renderTranscriptJson,
  renderTranscriptMarkdown,
  renderTranscriptText,
  truncate,
  type Transcript,
  type TranscriptSummary,
} from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "../io";
import { openSnapshot } from "../open";
import { createProgress } from "../output/progress";
import { addTraceOptions, parseLimit, type TraceOptionValues } from "../options";
import { printJson } from "../output/json";
import { formatMinute, padLeft, padRight } from "../output/text";
import { registerSearch } from "./transcript-search";

const LETTERS = "SATMFOL";
type Letter = "S" | "A" | "T" | "M" | "F" | "O" | "L";

/** `--columns`: letters S,A,T,M,F,O,L in any case, whitespace ignored. */
export function parseListColumns(value: string): Letter[] {
  const letters = [...value.replace(/\s+/g, "").toUpperCase()];
  if (letters.length === 0) throw new InvalidArgumentError("column list cannot be empty");
  for (const l of letters) {
    if (!LETTERS.includes(l)) throw new InvalidArgumentError(`invalid column specifier '${l}'; allowed: S,A,T,M,F,O,L`);
  }
  return letters as Letter[];
}

const COLUMNS: Record<Letter, { header: string; width: number; right?: boolean; value: (s: TranscriptSummary) => string }> = {
  S: {
    header: "Session ID",
    width: 40,
    value: (s) => truncate(safe(s.subagentId !== null ? `  ↳ agent-${s.subagentId}` : s.sessionId), 38),
  },
  A: { header: "Agent", width: 15, value: (s) => truncate(safe(s.agent), 13) },
  T: { header: "Start Time", width: 20, value: (s) => (s.startTime ? safe(formatMinute(s.startTime)) : "") },
  M: { header: "Msgs", width: 8, right: true, value: (s) => String(s.messageCount) },
  F: { header: "Files", width: 8, right: true, value: (s) => String(s.filesTouched) },
  O: { header: "Models", width: 30, value: (s) => (s.models.length > 0 ? safe(s.models.join(", ")) : "(unknown)") },
  L: {
    header: "Last Message",
    width: 50,
    value: (s) => (s.lastMessagePreview ? truncate(safe(s.lastMessagePreview), 48) : "(no messages)"),
  },
};

export function formatTranscriptList(summaries: readonly TranscriptSummary[], limit: number, columns: readonly Letter[]): string {
  const shown = limit > 0 ? summaries.slice(0, limit) : summaries;
  const cols = columns.map((l) => COLUMNS[l]);
  const row = (cells: string[]) => cells.join(" ").trimEnd();
  const out = ["", "=== Transcripts ===", row(cols.map((c) => padRight(c.header, c.width)))];
  out.push("-".repeat(cols.reduce((n, c) => n + c.width, 0) + cols.length - 1));
  for (const s of shown) {
    out.push(row(cols.map((c) => (c.right ? padLeft(c.value(s), c.width) : padRight(c.value(s), c.width)))));
  }
  if (shown.length < summaries.length) {
    const more = summaries.length - shown.length;
    out.push("", `... and ${more} more transcript${more === 1 ? "" : "s"} (use -n 0 to show all)`);
  }
  out.push("", `Total transcripts: ${summaries.length}`);
  return `${out.join("\n")}\n`;
}

interface ListOptions extends TraceOptionValues {
  limit: number;
  format: "table" | "json";
  json?: boolean;
  columns?: Letter[];
}

interface ViewOptions extends TraceOptionValues {
  format: "text" | "json" | "markdown";
  json?: boolean;
  full?: boolean;
  showThinking?: boolean;
  showTools?: boolean;
  showSystem?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const transcript = program.command("transcript").description("list, view and search the agent sessions behind the edits");

  const list = transcript
    .command("list")
    .description("list this project's agent sessions, newest first")
    .addOption(new Option("-n, --limit <N>", "show at most N sessions (0 = all)").argParser(parseLimit).default(20))
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .option("--json", "same as --format json")
    .addOption(
      new Option("--columns <SPEC>", "table columns: S session, A agent, T start, M messages, F files, O models, L last message")
        .argParser(parseListColumns),
    );
  addTraceOptions(list);
  list.action(async (opts: ListOptions) => {
    const { snapshot } = await openSnapshot(opts, io);
    const progress = createProgress(io, Date.now, "Reading transcripts");
    const listing = await snapshot.listTranscripts((p) => progress.update(p)).finally(() => progress.done());
    if (listing.unreadable > 0) io.stderr.write(`ai-blame: warning: ${listing.unreadable} trace file(s) could not be read\n`);
    if (opts.json || opts.format === "json") {
      printJson(io, opts.limit > 0 ? listing.summaries.slice(0, opts.limit) : listing.summaries);
    } else if (listing.summaries.length === 0) {
      io.stdout.write("No transcripts found for this project.\n");
    } else {
      io.stdout.write(formatTranscriptList(listing.summaries, opts.limit, opts.columns ?? parseListColumns("SATM")));
    }
  });

  const view = transcript
    .command("view")
    .description("show one session: by id (or part of it), subagent id, slug, or the path of a trace file")
    .argument("<SESSION>", "session id, subagent id, slug or trace file path (a substring is enough)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--json", "same as --format json")
    .option("--full", "do not truncate long messages")
    .option("--show-thinking", "include thinking blocks")
    .option("--show-tools", "include tool inputs and results")
    .option("--show-system", "include what the agent injected: context, instructions, system reminders, command output");
  addTraceOptions(view);
  view.action(async (session: string, opts: ViewOptions) => {
    const asPath = resolve(io.cwd, session);
    let whole: Transcript;
    if (existsSync(asPath)) whole = await loadTranscript(asPath);
    else {
      const { snapshot } = await openSnapshot(opts, io);
      const found = await snapshot.transcript(session);
      if (!found) throw new RuntimeError(`transcript not found: ${safe(session)}`);
      // The choice rule stays (exact id, main before subagents, newest), but an ambiguous query says what it chose.
      if (found.ambiguous) {
        io.stderr.write(`ai-blame: note: '${safe(session)}' matches ${found.matched} sessions; showing ${safe(found.session.sessionId)} (use a longer id)\n`);
      }
      whole = found.transcript;
    }
    const format = opts.json ? "json" : opts.format;
    // JSON keeps every record (scripts want the whole file); the readable formats leave out what the agent injected.
    const { transcript: t, hidden } = format === "json" || opts.showSystem ? { transcript: whole, hidden: 0 } : hideInjected(whole);
    if (hidden > 0) io.stderr.write(`ai-blame: note: ${hidden} injected record${hidden === 1 ? "" : "s"} hidden (context, instructions, reminders); --show-system shows them\n`);
    const options = {
      full: opts.full === true,
      showThinking: opts.showThinking === true,
      showTools: opts.showTools === true,
      // Wrapped to the terminal only: piped or redirected text keeps each line whole, for grep and for files.
      width: io.isTTY ? io.width : Number.POSITIVE_INFINITY,
    };
    if (format === "json") io.stdout.write(renderTranscriptJson(t));
    else if (format === "markdown") io.stdout.write(`${renderTranscriptMarkdown(t, options).markdown}\n`);
    else io.stdout.write(renderTranscriptText(t, options));
  });

  registerSearch(transcript, io);
}
