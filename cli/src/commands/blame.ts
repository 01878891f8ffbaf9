// `ai-blame blame FILE`: per-line AI attribution of a file as it is on disk, as a git-blame-like table, `--json`
// (the BlameJson contract as is) or `--porcelain`. Flag values are validated before any trace is read, so bad usage
// exits 2 at once; a missing, binary or directory FILE exits 1.

import { closeSync, openSync, readSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type Command, Option } from "commander";
import { type BlameJson, escapeControlChars, GitBlamer } from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "../io";
import { openSnapshot } from "../open";
import { addTraceOptions, type TraceOptionValues } from "../options";
import { type ColumnLetter, formatBlameText, type LineRange } from "../output/blame-text";
import { printJson } from "../output/json";
import { formatPorcelain } from "../output/porcelain";
import { parseAlias, parseColumns, parseLineRange } from "./blame-options";

interface BlameOptions extends TraceOptionValues {
  lines?: LineRange;
  blocks?: boolean;
  showAgent?: boolean;
  columns?: ColumnLetter[];
  agentAlias?: Array<[string, string]>;
  modelAlias?: Array<[string, string]>;
  header: boolean;
  json?: boolean;
  porcelain?: boolean;
  strictWhitespace?: boolean;
}

/** Refuses what cannot be blamed before the (slower) index refresh: missing paths, folders, binary content. */
function checkFile(abs: string, shown: string): void {
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new RuntimeError(`file not found: ${shown}`);
  }
  if (stat.isDirectory()) throw new RuntimeError(`${shown} is a directory, not a file`);
  const head = Buffer.alloc(Math.min(8192, stat.size));
  let fd: number | null = null;
  try {
    fd = openSync(abs, "r");
    readSync(fd, head, 0, head.length, 0);
  } catch {
    throw new RuntimeError(`cannot read ${shown}`);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  if (head.includes(0)) throw new RuntimeError(`${shown} is a binary file`);
}

/** `--lines` restricted for `--json`: the lines in range and the blocks that touch it. */
function sliceBlame(blame: BlameJson, range: LineRange | null): BlameJson {
  if (!range) return blame;
  return {
    ...blame,
    lines: blame.lines.filter((l) => l.line >= range.start && l.line <= range.end),
    blocks: blame.blocks.filter((b) => b.end >= range.start && b.start <= range.end),
  };
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("blame")
    .description("show which AI edit wrote each line of a file (git-blame-like)")
    .argument("<FILE>", "the file to blame (relative to the current directory)")
    .addOption(new Option("--lines <N-M>", "only lines N to M (1-based, inclusive)").argParser(parseLineRange))
    .option("--blocks", "print a label before each block of lines with the same owner")
    .option("--show-agent", "add the agent column to the default layout")
    .addOption(
      new Option("--columns <SPEC>", "columns by letter: S session, A agent, M model, T time, G commit, L line, C code").argParser(
        parseColumns,
      ),
    )
    .option("--agent-alias <FROM=TO>", "show agent FROM (an id like claude-code, or agent@version) as TO (repeatable)", parseAlias)
    .option("--model-alias <FROM=TO>", "show model FROM (a full id or its family, e.g. claude-opus-4-5) as TO (repeatable)", parseAlias)
    .option("--no-header", "omit the 'Created:' header")
    .option("--strict-whitespace", "a whitespace-only change makes the line 'changed after AI' (default: it keeps its owner, flagged reformatted)")
    .option("-w", "ignore whitespace when carrying owners (the default; accepted for git blame habit)")
    .addOption(new Option("--json", "print the attribution as JSON").conflicts("porcelain"))
    .addOption(new Option("--porcelain", "print a stable line-oriented format for scripts (see README)"));
  addTraceOptions(cmd);
  cmd.action(async (file: string, opts: BlameOptions) => {
    const abs = resolve(io.cwd, file);
    checkFile(abs, file);
    const { snapshot } = await openSnapshot(opts, io);
    // In a git repository lines carry their commit, and committed lines no local trace explains take their
    // owner from the commit's note.
    const blameOptions = { strictWhitespace: opts.strictWhitespace === true };
    const warn = (message: string) => io.stderr.write(`ai-blame: warning: ${escapeControlChars(message)}\n`);
    const git = await GitBlamer.open(dirname(abs), warn);
    const blame = git ? await git.blame(snapshot, abs, undefined, blameOptions) : snapshot.blame(abs, undefined, blameOptions);
    const range = opts.lines ?? null;
    if (opts.json) {
      printJson(io, sliceBlame(blame, range));
      return;
    }
    if (opts.porcelain) {
      io.stdout.write(formatPorcelain(blame, range));
      return;
    }
    const columns = opts.columns ?? (opts.showAgent ? parseColumns("SAMTLC") : parseColumns("SMTLC"));
    io.stdout.write(
      formatBlameText(blame, {
        columns,
        range,
        blocks: opts.blocks === true,
        header: opts.header,
        agentAliases: new Map(opts.agentAlias ?? []),
        modelAliases: new Map(opts.modelAlias ?? []),
        color: io.color,
      }),
    );
  });
}
