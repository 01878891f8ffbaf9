// Flag groups shared by the commands (trace location, cache, verbosity; event filters) and their mapping to the
// engine's EngineOptions and EventFilter. The same flags mean the same thing in every command: one definition here,
// never re-declared per command.

import { resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { agentNames, type EngineOptions, type EventFilter, type PathMapping, resolveProjectDir } from "@ai-blame/shared";
import { parseDateArg } from "./dates";
import { envFlag } from "./env-flag";
import { UsageError } from "./io";

/** Values commander collects for addTraceOptions (camelCase keys as commander names them). */
export interface TraceOptionValues {
  home?: string;
  traceDir?: string[];
  dir?: string;
  /** false with `--no-cache`. */
  cache?: boolean;
  rebuildCache?: boolean;
  /** `--path-map OLD=NEW`, in order. */
  pathMap?: PathMapping[];
  /** `--agents a,b`: the only agents to read (registry names). */
  agents?: string[];
  /** `--skip-<agent>` sets the camelCased key of that flag (`skipCodex`, `skipAgentTrace`…); see skipFlags. */
  skipCodex?: boolean;
  onlyClaude?: boolean;
  /** Count of `-v`. */
  verbose?: number;
}

/** Values commander collects for addFilterOptions. */
export interface FilterOptionValues {
  pattern?: string;
  since?: string;
  until?: string;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function increase(_value: string, previous: number | undefined): number {
  return (previous ?? 0) + 1;
}

/** Adds the trace-location, cache and verbosity flags of the reference's common option group. */
export function addTraceOptions(cmd: Command): Command {
  cmd
    .option("--home <path>", "home folder holding .claude/, .codex/ and .gemini/ (default: $HOME)")
    .option("-t, --trace-dir <path>", "read this trace folder instead of discovering them (repeatable)", collect)
    .option("-d, --dir <path>", "project directory (default: the enclosing git work tree, else the nearest folder with traces)")
    .option("--path-map <OLD=NEW>", "paths recorded under OLD are the project's files under NEW (a moved project; repeatable)", parsePathMap)
    .option("--no-cache", "do not read or write the index (also AI_BLAME_NO_CACHE=1)")
    .option("--rebuild-cache", "read every existing trace of this project again from the start (edits kept from deleted traces stay)")
    .addOption(
      new Option("--agents <list>", `read only these agents, comma-separated (${agentNames.join(", ")})`).argParser(parseAgentList),
    );
  for (const { option } of skipFlags()) cmd.addOption(option);
  return cmd
    .option("--only-claude", "read Claude Code traces only (same as --agents claude)")
    .option("-v, --verbose", "log progress to stderr (repeat for more detail)", increase);
}

/** `--path-map OLD=NEW` (repeatable): split at the first `=`; both sides non-empty, resolved to absolute paths later. */
export function parsePathMap(value: string, previous: PathMapping[] | undefined): PathMapping[] {
  const at = value.indexOf("=");
  const from = at < 0 ? "" : value.slice(0, at).trim();
  const to = at < 0 ? "" : value.slice(at + 1).trim();
  if (from === "" || to === "") throw new InvalidArgumentError("expected OLD=NEW, two paths");
  return [...(previous ?? []), { from, to }];
}

/** `--agents`: names of the agent registry (so every agent the engine reads is selectable), without repeats. */
export function parseAgentList(value: string): string[] {
  const names = value.split(",").map((n) => n.trim().toLowerCase()).filter((n) => n !== "");
  if (names.length === 0) throw new InvalidArgumentError(`expected agent names: ${agentNames.join(", ")}`);
  for (const name of names) {
    if (!agentNames.includes(name)) throw new InvalidArgumentError(`unknown agent '${name}'; known: ${agentNames.join(", ")}`);
  }
  return [...new Set(names)];
}

/** One `--skip-<name>` flag per agent of the registry, with the key commander stores it under. */
function skipFlags(): Array<{ name: string; option: Option }> {
  return agentNames.map((name) => {
    const option = new Option(`--skip-${name}`, `ignore ${name} traces`);
    return { name, option };
  });
}

/** The agents the flags leave to read, by registry name; a usage error when none is left. */
function selectedAgents(opts: TraceOptionValues): Set<string> {
  const chosen = new Set(opts.agents ?? agentNames);
  if (opts.onlyClaude === true) for (const name of [...chosen]) if (name !== "claude") chosen.delete(name);
  const values = opts as Record<string, unknown>;
  for (const { name, option } of skipFlags()) if (values[option.attributeName()] === true) chosen.delete(name);
  if (chosen.size === 0) throw new UsageError("--agents and --skip-… leave no agent to read");
  return chosen;
}

/** Whether any agent flag was given: then it, not the project config's `agents:` list, decides. */
function agentFlagsGiven(opts: TraceOptionValues): boolean {
  const values = opts as Record<string, unknown>;
  return opts.agents !== undefined || opts.onlyClaude === true || skipFlags().some(({ option }) => values[option.attributeName()] === true);
}

export { parseDateArg };

/** A whole number ≥ 0, or commander's usage error with `message` (each flag says what its number means). */
function wholeNumber(value: string, message: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(message);
  return Number.parseInt(value, 10);
}

/** `-n/--limit`: how many rows to show, 0 for all. */
export function parseLimit(value: string): number {
  return wholeNumber(value, "expected a whole number (0 = all)");
}

/** `-m/--min-change-size`: a size in characters, 0 for no minimum. */
export function parseMinChangeSize(value: string): number {
  return wholeNumber(value, "expected a whole number of characters (0 = keep every edit)");
}

/** Adds `-p/--pattern`, `--since`, `--until`. */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option("-p, --pattern <pattern>", "only files whose project-relative path contains this substring or matches this glob")
    .addOption(
      new Option("--since <date>", "only edits at or after this date (YYYY-MM-DD, ISO date-time, or 2.weeks, 3 days ago, yesterday)")
        .argParser(parseDateArg),
    )
    .addOption(
      new Option("--until <date>", "only edits at or before this date (a bare date includes the whole day)")
        .argParser(parseDateArg),
    );
}


/**
 * The project of a command run in `cwd`, resolved once per process: commands that check a path against the project
 * before opening the engine (blame, report) ask twice, and outside git each answer is a pass over every trace head.
 */
const projectDirs = new WeakMap<object, Map<string, Promise<string>>>();
function projectDirOf(cwd: string, home: string | null, env: Record<string, string | undefined>): Promise<string> {
  let byPlace = projectDirs.get(env);
  if (byPlace === undefined) projectDirs.set(env, (byPlace = new Map()));
  const key = `${cwd}\0${home ?? ""}`;
  let found = byPlace.get(key);
  if (found === undefined) byPlace.set(key, (found = resolveProjectDir(cwd, { home, env })));
  return found;
}

/** Maps the common flags to engine options; relative paths resolve against `cwd`. */
export async function engineOptionsFrom(
  opts: TraceOptionValues,
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Promise<EngineOptions> {
  const chosen = selectedAgents(opts);
  let cache: EngineOptions["cache"] = "on";
  if (opts.cache === false || envFlag(env["AI_BLAME_NO_CACHE"])) cache = "off";
  else if (opts.rebuildCache === true) cache = "rebuild";
  const options: EngineOptions = {
    projectDir: opts.dir !== undefined ? resolve(cwd, opts.dir) : await projectDirOf(cwd, opts.home !== undefined ? resolve(cwd, opts.home) : null, env),
    home: opts.home !== undefined ? resolve(cwd, opts.home) : null,
    agents: Object.fromEntries(agentNames.map((name) => [name, chosen.has(name)])),
    agentsChosen: agentFlagsGiven(opts),
    cache,
    env,
  };
  if (opts.pathMap !== undefined) options.pathMap = opts.pathMap.map(({ from, to }) => ({ from: resolve(cwd, from), to: resolve(cwd, to) }));
  if (opts.traceDir !== undefined && opts.traceDir.length > 0) {
    options.traceDirs = opts.traceDir.map((d) => resolve(cwd, d));
  }
  return options;
}

/** Maps `--pattern/--since/--until` to an engine filter; rejects a range whose start is after its end. */
export function filterFrom(opts: FilterOptionValues): EventFilter {
  const filter: EventFilter = {};
  if (opts.pattern !== undefined && opts.pattern !== "") filter.pattern = opts.pattern;
  if (opts.since !== undefined) filter.since = opts.since;
  if (opts.until !== undefined) filter.until = opts.until;
  if (filter.since && filter.until) {
    const start = Date.parse(filter.since);
    const bareUntil = /^\d{4}-\d{2}-\d{2}$/.test(filter.until);
    const end = Date.parse(filter.until) + (bareUntil ? 86_400_000 - 1 : 0);
    if (start > end) throw new UsageError(`--since ${filter.since} is after --until ${filter.until}`);
  }
  return filter;
}
