// `ai-blame blame FILE`: per-line AI attribution of a file as it is on disk (or as `--contents` gives it), as a
// git-blame-like table, `--json` (the BlameJson contract as is) or `--porcelain`; `--lines`/`-L` pick lines. Flag
// values are validated before any trace is read, so bad usage exits 2 at once; a missing, binary or directory FILE
// exits 1.

import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { type Command, Option } from "commander";
import { type BlameJson, escapeControlChars, GitBlamer, gitWorkTreeOf, sessionPrefixLength } from "@ai-blame/shared";
import { type CliIo, RuntimeError, UsageError } from "../io";
import { openSnapshot } from "../open";
import { addTraceOptions, engineOptionsFrom, type TraceOptionValues } from "../options";
import { type ColumnLetter, formatBlameText, type LineRange } from "../output/blame-text";
import { printJson } from "../output/json";
import { formatPorcelain } from "../output/porcelain";
import { parseAlias, parseColumns, parseLineRange } from "./blame-options";
import { type LineRangeSpec, mergeRanges, parseLineRangeSpec, resolveLineRanges } from "./line-ranges";

interface BlameOptions extends TraceOptionValues {
  lines?: LineRange;
  /** `-L` specs, in order. */
  L?: LineRangeSpec[];
  contents?: string;
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

/** The real path of a file or folder, or the path itself when it does not exist. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A file of another project has no lines of this one: say so instead of a table of `not in traces`. */
function checkInProject(abs: string, shown: string, projectDir: string): void {
  const inside = (root: string, path: string) => {
    const rel = relative(root, path);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  };
  if (inside(projectDir, abs) || inside(realOrSelf(projectDir), realOrSelf(abs))) return;
  throw new RuntimeError(
    `${escapeControlChars(shown)} is not inside the project ${escapeControlChars(projectDir)} (run ai-blame in its repository, or pass --dir)`,
  );
}

/** `--lines`/`-L` restricted for `--json`: the lines in the ranges and the blocks that touch them. */
function sliceBlame(blame: BlameJson, ranges: readonly LineRange[] | null): BlameJson {
  if (!ranges) return blame;
  const within = (start: number, end: number) => ranges.some((r) => end >= r.start && start <= r.end);
  return {
    ...blame,
    lines: blame.lines.filter((l) => within(l.line, l.line)),
    blocks: blame.blocks.filter((b) => within(b.start, b.end)),
  };
}

/** `--contents FILE|-`: the text to blame instead of the file on disk (stdin for `-`); refuses binary content. */
function readContents(source: string, io: CliIo): string {
  let bytes: Buffer;
  try {
    bytes = source === "-" ? readFileSync(0) : readFileSync(resolve(io.cwd, source));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RuntimeError(`cannot read --contents ${source === "-" ? "from stdin" : source}${code ? ` (${code})` : ""}`);
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new RuntimeError(`--contents ${source === "-" ? "from stdin" : source} is binary`);
  return bytes.toString("utf8");
}

/** The ranges of `--lines` and every `-L`, resolved against the blamed lines; null when neither was given. */
function lineRangesOf(opts: BlameOptions, blame: BlameJson): LineRange[] | null {
  if (!opts.lines && !opts.L) return null;
  const ranges = opts.lines ? [opts.lines] : [];
  if (opts.L) {
    try {
      ranges.push(...resolveLineRanges(opts.L, blame.lines.map((l) => l.text)));
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }
  return mergeRanges(ranges);
}

export function register(program: Command, io: CliIo): void {
  const cmd = program
    .command("blame")
    .description("show which AI edit wrote each line of a file (git-blame-like)")
    .argument("<FILE>", "the file to blame (relative to the current directory)")
    .addOption(new Option("--lines <N-M>", "only lines N to M (1-based, inclusive)").argParser(parseLineRange))
    .option(
      "-L <start,end>",
      "only these lines, as git blame: 10,20  10,+5  /regex/,+N  ^/regex/,/regex/ (repeatable)",
      parseLineRangeSpec,
    )
    .option("--contents <FILE|->", "blame this text (a file, or - for stdin) as the content of FILE")
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
    const contents = opts.contents !== undefined ? readContents(opts.contents, io) : undefined;
    if (contents === undefined) checkFile(abs, file);
    checkInProject(abs, file, (await engineOptionsFrom(opts, io.env, io.cwd)).projectDir);
    const { engine, snapshot } = await openSnapshot(opts, io);
    // In a git repository lines carry their commit, and committed lines no local trace explains take their
    // owner from the commit's note.
    const blameOptions = { strictWhitespace: opts.strictWhitespace === true };
    const warn = (message: string) => io.stderr.write(`ai-blame: warning: ${escapeControlChars(message)}\n`);
    // A repeated blame of an unchanged file reuses the git blame and notes kept in the data folder.
    const dataDir = engine.dataDir();
    // Asking git costs a process: outside any work tree (no `.git` above the folder or its real path, no GIT_DIR)
    // the answer is known.
    const folder = dirname(abs);
    const mayBeInGit =
      gitWorkTreeOf(folder) !== null || gitWorkTreeOf(realOrSelf(folder)) !== null || (io.env["GIT_DIR"] ?? "") !== "";
    const git = mayBeInGit ? await GitBlamer.open(folder, warn, { cacheDir: dataDir === null ? null : join(dataDir, "git-blame") }) : null;
    const blame = git ? await git.blame(snapshot, abs, contents, blameOptions) : snapshot.blame(abs, contents, blameOptions);
    const range = lineRangesOf(opts, blame);
    if (opts.json) {
      printJson(io, sliceBlame(blame, range));
      return;
    }
    // Large outputs are written as they are made (see formatBlameText).
    const write = (text: string) => io.stdout.write(text);
    if (opts.porcelain) {
      write(formatPorcelain(blame, range, write));
      return;
    }
    const columns = opts.columns ?? (opts.showAgent ? parseColumns("SAMTLC") : parseColumns("SMTLC"));
    write(
      formatBlameText(blame, {
        columns,
        range,
        blocks: opts.blocks === true,
        header: opts.header,
        agentAliases: new Map(opts.agentAlias ?? []),
        modelAliases: new Map(opts.modelAlias ?? []),
        color: io.color,
        sessionIdLength: sessionPrefixLength(
          snapshot.sessionIds(),
          blame.lines.flatMap((line) => (line.owner ? [line.owner.sessionId] : [])),
        ),
      }, write),
    );
  });
}
