// `ai-blame log [<revision range>]`: per commit, the lines it added and how many AI edits wrote (by model and
// agent, a compact bar), or with `--summary` one summary of the range (a pull request: BASE..HEAD) as text, JSON or
// markdown ready to post as a PR comment.

import { type Command, InvalidArgumentError, Option } from "commander";
import { attributeRange, logEntries, summarize, summaryMarkdown } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { addTraceOptions, type TraceOptionValues } from "../options";
import { printJson } from "../output/json";
import { formatLog, formatSummaryText } from "../output/log-text";
import { openGitAndSnapshot } from "./git-context";

interface LogOptions extends TraceOptionValues {
  maxCount: number;
  summary?: boolean;
  format?: "text" | "markdown" | "json";
  json?: boolean;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number of commits (0 = all)");
  return Number.parseInt(value, 10);
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("log")
    .description("per commit: lines added and how many AI edits wrote, by model (from git notes or local traces)")
    .argument("[range]", "revision range as git understands it (default: HEAD), e.g. main..HEAD")
    .addOption(new Option("-n, --max-count <N>", "at most N commits (0 = all)").argParser(parseCount).default(0))
    .option("--summary", "one summary of the whole range (AI share, per model, per file, sessions)")
    .addOption(new Option("--format <FORMAT>", "output format").choices(["text", "markdown", "json"]))
    .option("--json", "same as --format json");
  addTraceOptions(cmd);
  cmd.action(async (range: string | undefined, opts: LogOptions) => {
    const format = opts.json ? "json" : (opts.format ?? "text");
    const { git, snapshot } = await openGitAndSnapshot(opts, io);
    const shown = range ?? "HEAD";
    const attributions = await attributeRange(git.repo, snapshot, git.notes, shown, opts.maxCount);
    if (opts.summary) {
      const summary = summarize(shown, attributions, snapshot);
      if (format === "json") printJson(io, summary);
      else if (format === "markdown") io.stdout.write(summaryMarkdown(summary));
      else io.stdout.write(formatSummaryText(summary));
      return;
    }
    const entries = logEntries(attributions);
    if (format === "json") printJson(io, entries);
    else if (format === "markdown") io.stdout.write(summaryMarkdown(summarize(shown, attributions, snapshot)));
    else io.stdout.write(formatLog(entries));
  });
}
