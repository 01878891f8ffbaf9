// `ai-blame report [TARGET]`: what `annotate` would write, without writing — a summary per file, the output plan
// (policy and destination from .ai-blame.yaml) and YAML previews, in the reference's layout but sorted by path.
// `--json` prints the same plan as data. Also shares its flag set and event selection with `annotate`.

import { type Command, Option } from "commander";
import {
  type AnnotateConfig,
  escapeCell,
  escapeControlChars,
  type EventFilter,
  type FilePlan,
  historyYaml,
  loadConfig,
  planProject,
  reportJson,
  type Snapshot,
} from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "../io";
import { openSnapshot } from "../open";
import {
  addFilterOptions,
  addTraceOptions,
  engineOptionsFrom,
  type FilterOptionValues,
  filterFrom,
  parseMinChangeSize,
  type TraceOptionValues,
} from "../options";
import { printJson } from "../output/json";
import { formatMinute, padLeft, padRight, tailPath, trimLineEnds } from "../output/text";

export interface AnnotateSelectionOptions extends TraceOptionValues, FilterOptionValues {
  config?: string;
  initialAndRecent?: boolean;
  minChangeSize?: number;
  includeSessionId?: boolean;
}

/** The flags `report` and `annotate` share (besides trace and filter options). */
export function addSelectionOptions(cmd: Command): Command {
  addTraceOptions(cmd);
  addFilterOptions(cmd);
  return cmd
    .option("-c, --config <path>", "use this config file instead of the nearest .ai-blame.yaml")
    .option("--initial-and-recent", "keep only the first and the last edit of each file")
    .addOption(
      new Option("-m, --min-change-size <N>", "drop intermediate edits that changed fewer than N characters")
        .argParser(parseMinChangeSize)
        .default(0),
    )
    .option("--include-session-id", "add session_id to every history entry");
}

export interface Selection {
  snapshot: Snapshot;
  config: AnnotateConfig;
  projectDir: string;
  plans: FilePlan[];
  /** The reference's message when there is nothing to do (then `plans` is empty). */
  empty: string | null;
}

/**
 * Loads the config, indexes traces and plans the selected files. With nothing to do, `empty` holds the reference's
 * message; a TARGET matching nothing is an error.
 */
export async function selectPlans(target: string | undefined, opts: AnnotateSelectionOptions, io: CliIo): Promise<Selection> {
  const projectDir = (await engineOptionsFrom(opts, io.env, io.cwd)).projectDir;
  const config = loadConfig(projectDir, opts.config ?? null);
  const base: EventFilter = filterFrom(opts);
  const { snapshot } = await openSnapshot(opts, io);
  const nothing = (empty: string): Selection => ({ snapshot, config, projectDir, plans: [], empty });
  if (snapshot.events(base).length === 0) return nothing("No edits found matching criteria.");
  const filter: EventFilter = { ...base, initialAndRecent: opts.initialAndRecent === true, minChangeSize: opts.minChangeSize ?? 0 };
  if (snapshot.events(filter).length === 0) return nothing("No edits remaining after filtering.");
  if (target !== undefined && target !== "") filter.target = target;
  const planOptions = { projectDir, config, filter, ...(opts.includeSessionId ? { includeSessionId: true } : {}) };
  const plans = planProject(snapshot, planOptions);
  if (plans.length === 0) throw new RuntimeError(`No history found for: ${target ?? ""}`);
  for (const p of plans) {
    if (p.events.length > 20) {
      const key = escapeCell(p.key);
      io.stderr.write(`Warning: ${key} has ${p.events.length} curation events. Consider using --initial-and-recent to reduce.\n`);
    }
  }
  return { snapshot, config, projectDir, plans, empty: null };
}

/** `Using config: "<path>"` when a config file is in use (the reference's first line). */
export function configLine(config: AnnotateConfig): string {
  return config.path ? `Using config: "${escapeCell(config.path)}"\n` : "";
}

/** The Output Plan's destination column. */
export function destinationLabel(p: FilePlan): string {
  switch (p.problem?.kind) {
    case "outside-root":
      return "(refused: outside the project root)";
    case "not-found":
      return "(file not found)";
    case "no-rule":
      return "(no matching rule)";
    case "skip":
      return "(skipped)";
    case "sidecar-conflict":
      return "(sidecar conflict)";
    case "no-comment-syntax":
      return "(comment_syntax needed)";
    default:
      return p.policy === "sidecar" ? (p.destinationKey ?? "") : "in-place";
  }
}

export function formatReport(plans: readonly FilePlan[], showAll: boolean): string {
  const out: string[] = ["", "=== Summary ==="];
  out.push(`${padRight("File", 50)} | Edits | ${padRight("First Edit", 20)} | Last Edit`, "-".repeat(105));
  for (const p of plans) {
    const first = p.events[0]?.timestamp ?? "";
    const last = p.events[p.events.length - 1]?.timestamp ?? "";
    out.push(`${padRight(tailPath(escapeCell(p.key), 48), 50)} | ${padLeft(String(p.events.length), 5)} | ${padRight(escapeCell(formatMinute(first)), 20)} | ${escapeCell(formatMinute(last))}`);
  }
  out.push("", "", "=== Output Plan ===");
  out.push(`${padRight("File", 50)} | ${padRight("Policy", 10)} | destination`, "-".repeat(95));
  for (const p of plans) {
    out.push(`${padRight(tailPath(escapeCell(p.key), 48), 50)} | ${padRight(p.policy ?? "(none)", 10)} | ${escapeCell(destinationLabel(p))}`);
  }
  out.push("");
  const shown = showAll ? plans : plans.slice(0, 5);
  for (const p of shown) {
    out.push("", `=== YAML Preview: ${escapeCell(p.key)} ===`, historyYaml(p));
    if (p.dropped > 0) out.push(`(${p.dropped} older edit(s) left out: the file changed since and they no longer own any line)`, "");
  }
  if (plans.length > shown.length) {
    out.push("", `... and ${plans.length - shown.length} more files (use --show-all to see all)`);
  }
  // No colour here, so the whole text is escaped at once (file names and YAML previews come from traces).
  return `${trimLineEnds(escapeControlChars(out.join("\n")))}\n`;
}

interface ReportOptions extends AnnotateSelectionOptions {
  showAll?: boolean;
  json?: boolean;
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("report")
    .description("summarise the AI edit history annotate would write (no filesystem changes)")
    .argument("[TARGET]", "only files whose project-relative path contains this text")
    .option("--show-all", "preview every file instead of the first 5")
    .option("--json", "print the plan as JSON");
  addSelectionOptions(cmd);
  cmd.action(async (target: string | undefined, opts: ReportOptions) => {
    const selection = await selectPlans(target, opts, io);
    if (opts.json) {
      printJson(io, reportJson(selection.plans, selection.config));
      return;
    }
    io.stdout.write(configLine(selection.config));
    if (selection.empty !== null) io.stdout.write(`${selection.empty}\n`);
    else io.stdout.write(formatReport(selection.plans, opts.showAll === true));
  });
}
