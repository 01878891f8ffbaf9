// `ai-blame export --format agent-trace [<revision range>]`: the AI attribution of the range's commits as Agent Trace
// records, one JSON line per commit with AI lines (the layout of `.agent-trace/traces.jsonl`), on stdout.

import { type Command, InvalidArgumentError, Option } from "commander";
import { agentTraceJsonl, attributeRange } from "@ai-blame/shared";
import type { CliIo } from "../io";
import { addTraceOptions, type TraceOptionValues } from "../options";
import { openGitAndSnapshot } from "./git-context";

interface ExportOptions extends TraceOptionValues {
  format: "agent-trace";
  maxCount: number;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number of commits (0 = all)");
  return Number.parseInt(value, 10);
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("export")
    .description("write the AI attribution of commits in another format (Agent Trace records as JSON lines)")
    .argument("[range]", "revision range as git understands it (default: HEAD)")
    .addOption(new Option("--format <FORMAT>", "output format").choices(["agent-trace"]).makeOptionMandatory())
    .addOption(new Option("-n, --max-count <N>", "at most N commits (0 = all)").argParser(parseCount).default(0));
  addTraceOptions(cmd);
  cmd.action(async (range: string | undefined, opts: ExportOptions) => {
    const { git, snapshot } = await openGitAndSnapshot(opts, io);
    const attributions = await attributeRange(git.repo, snapshot, git.notes, range ?? "HEAD", opts.maxCount);
    io.stdout.write(agentTraceJsonl(attributions, __AI_BLAME_VERSION__));
  });
}
