// Opens the engine for a command: maps the flags, refreshes the index (with a progress indicator on a terminal) and
// takes one snapshot. Every data command goes through here, so cache, verbosity and error policy are the same for all.

import { statSync } from "node:fs";
import { createEngine, noTracesMessage, type Engine, escapeControlChars, type RefreshResult, type Snapshot } from "@ai-blame/shared";
import type { Log } from "@ai-blame/shared";
import { type CliIo, RuntimeError } from "./io";
import { engineOptionsFrom, type TraceOptionValues } from "./options";
import { createProgress } from "./output/progress";
import { plural } from "./output/text";

/** A path as one POSIX shell word. */
function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** Once per project: the Rust ai-blame's leftover caches are not used, and how to remove them. */
function mentionRustCaches(engine: Engine, io: CliIo): void {
  const files = engine.rustCachesToMention();
  if (files.length === 0) return;
  const words = files.map((f) => escapeControlChars(shellWord(f))).join(" ");
  io.stderr.write(
    `ai-blame: note: the Rust ai-blame's cache is not used by this version; remove it with: rm ${words} (see MIGRATION.md; said once)\n`,
  );
}

/** A stderr logger: silent without -v; -v shows errors, warnings and info; -vv adds debug. */
export function cliLog(io: CliIo, verbosity: number): Log {
  const line = (level: string, message: string) => io.stderr.write(`ai-blame: ${level}: ${message}\n`);
  return {
    error: (m) => (verbosity >= 1 ? line("error", m) : undefined),
    warn: (m) => (verbosity >= 1 ? line("warning", m) : undefined),
    info: (m) => (verbosity >= 1 ? line("info", m) : undefined),
    debug: (m) => (verbosity >= 2 ? line("debug", m) : undefined),
  };
}

function requireDirectory(path: string, what: string): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new RuntimeError(`${what} not found: ${path}`);
  }
  if (!isDir) throw new RuntimeError(`${what} is not a directory: ${path}`);
}

/** Engines this process opened: what their commands read from traces is copied into the index at the end. */
const opened: Engine[] = [];

/**
 * Makes durable the file contents the command read from trace files (a blame, annotate, `stats --lines`): they are
 * copied into the index, so the next command finds them there and they outlive their traces.
 */
export async function keepReadContents(): Promise<void> {
  for (const engine of opened.splice(0)) await engine.keepContents(0);
}

export async function openSnapshot(
  opts: TraceOptionValues,
  io: CliIo,
  { quiet = false, countsOnly = false }: { quiet?: boolean; countsOnly?: boolean } = {},
): Promise<{ engine: Engine; snapshot: Snapshot; refresh: RefreshResult }> {
  const options = await engineOptionsFrom(opts, io.env, io.cwd);
  if (countsOnly) options.countsOnly = true;
  requireDirectory(options.projectDir, "project directory");
  for (const dir of options.traceDirs ?? []) requireDirectory(dir, "trace directory");
  const log = cliLog(io, opts.verbose ?? 0);
  options.log = log;
  // A command serves nothing while it indexes: the traces it parses itself are read with blocking reads.
  options.blockingReads = true;
  const engine = createEngine(options);
  opened.push(engine);
  const progress = createProgress(io);
  let refresh: RefreshResult;
  try {
    refresh = await engine.refresh((p) => progress.update(p));
  } finally {
    progress.done();
  }
  log.info(
    `indexed ${plural(refresh.traceFiles, "trace file")} (${refresh.filesRead} read, ${refresh.bytesRead} bytes, ` +
      `${plural(refresh.newEvents, "new event")}, ${plural(refresh.skippedLines, "skipped line")}) in ` +
      `${Math.round(refresh.durationMs)} ms`,
  );
  // A quiet caller (shell completion) has nobody reading stderr: the once-only note waits for a real command.
  if (!quiet) mentionRustCaches(engine, io);
  const snapshot = engine.snapshot();
  // "No edits found" must not pass for "no traces looked at": say where we looked.
  if (!quiet && refresh.traceFiles === 0 && snapshot.events().length === 0) {
    io.stderr.write(`ai-blame: ${escapeControlChars(noTracesMessage(options.projectDir, engine.watchRoots()))}\n`);
  }
  return { engine, snapshot, refresh };
}
