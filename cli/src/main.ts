// The `ai-blame` entry point: builds the commander tree from the command modules, parses, dispatches and turns the
// outcome into an exit code (0 ok, 1 runtime error, 2 usage error). This is the one place that catches errors:
// every failure becomes a single `ai-blame: error: …` line on stderr, never a stack trace.

import { Command, CommanderError } from "commander";
import { isAiBlameError } from "@ai-blame/shared";
import { register as registerAnnotate } from "./commands/annotate";
import { register as registerBlame } from "./commands/blame";
import { register as registerCompletions } from "./commands/completions";
import { register as registerInit } from "./commands/init";
import { register as registerExport } from "./commands/export";
import { register as registerGc } from "./commands/gc";
import { register as registerHooks } from "./commands/hooks";
import { register as registerLog } from "./commands/log";
import { register as registerLsp } from "./commands/lsp";
import { register as registerNotes } from "./commands/notes";
import { register as registerReport } from "./commands/report";
import { register as registerStats } from "./commands/stats";
import { register as registerTimeline } from "./commands/timeline";
import { register as registerTranscript } from "./commands/transcript";
import { SESSIONS_COMMAND } from "./completion/tree";
import { type CliIo, processIo, RuntimeError, UsageError } from "./io";
import { keepReadContents } from "./open";
import { PagedOutput, pagerCommand } from "./pager";

type Register = (program: Command, io: CliIo) => void;

/** What `--version` prints, and its two spellings. */
const VERSION_TEXT = `ai-blame ${__AI_BLAME_VERSION__}`;
const VERSION_FLAGS = new Set(["-V", "--version"]);

/** Every command with the top-level names it registers, in `--help`'s order (the reference's commands, then ours). */
const commands: Array<{ names: readonly string[]; register: Register }> = [
  { names: ["init"], register: registerInit },
  { names: ["report"], register: registerReport },
  { names: ["annotate"], register: registerAnnotate },
  { names: ["stats"], register: registerStats },
  { names: ["timeline"], register: registerTimeline },
  { names: ["blame"], register: registerBlame },
  { names: ["transcript"], register: registerTranscript },
  { names: ["log"], register: registerLog },
  { names: ["notes"], register: registerNotes },
  { names: ["hooks"], register: registerHooks },
  { names: ["export"], register: registerExport },
  { names: ["gc"], register: registerGc },
  { names: ["completions", SESSIONS_COMMAND], register: registerCompletions },
  { names: ["lsp"], register: registerLsp },
];

/**
 * The commands a run registers: only the one its first argument names, whose flags, help and errors are all that run
 * can show (building all fourteen with their options was a few ms of every start); every command for anything else
 * — `--help`, `help`, a global flag first, a mistyped name (commander suggests among all of them) and `completions`,
 * which walks the whole tree.
 */
function commandsFor(argv: readonly string[] | undefined): typeof commands {
  const first = argv?.[0];
  if (first === undefined || first === "completions") return commands;
  const named = commands.filter((c) => c.names.includes(first));
  return named.length === 1 ? named : commands;
}

/** Commander's output routed to our channels; its error messages become one `ai-blame: error: …` line. */
function outputFor(io: CliIo) {
  return {
    writeOut: (text: string) => io.stdout.write(text),
    writeErr: (text: string) => io.stderr.write(text),
    outputError: (text: string, write: (text: string) => void) => write(`ai-blame: ${oneLine(text)}\n`),
  };
}

/** Builds the command tree (also walked by `completions`): all of it, or what a run of `argv` needs (commandsFor). */
export function buildProgram(io: CliIo, argv?: readonly string[]): Command {
  const program = new Command("ai-blame");
  program
    .description("git blame for AI-assisted edits: which AI edit wrote each line, from the traces of Claude Code, Codex, Gemini CLI and opencode, and Agent Trace records")
    .version(VERSION_TEXT, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .configureOutput(outputFor(io))
    .option("--no-pager", "do not page output on a terminal (the pager is $AI_BLAME_PAGER, $PAGER or less -FRX)")
    .showSuggestionAfterError(true)
    .exitOverride();
  for (const { register } of commandsFor(argv)) register(program, io);
  for (const sub of program.commands) applyToTree(sub, io);
  return program;
}

/** Subcommands inherit output routing and exit override (commander copies settings only at creation). */
function applyToTree(cmd: Command, io: CliIo): void {
  cmd.configureOutput(outputFor(io)).exitOverride();
  for (const sub of cmd.commands) applyToTree(sub, io);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/** The exit code for an error escaping a command, after printing its one line. */
export function reportError(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) {
    // Help and version are printed by commander and are not errors; everything else it raises is bad usage
    // (its message was already printed through outputError).
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
    if (err.code === "commander.help") return err.exitCode === 0 ? 0 : 2;
    return 2;
  }
  if (err instanceof UsageError) {
    io.stderr.write(`ai-blame: error: ${err.message}\n`);
    return 2;
  }
  if (err instanceof RuntimeError) {
    io.stderr.write(`ai-blame: error: ${err.message}\n`);
    return 1;
  }
  if (isAiBlameError(err)) {
    io.stderr.write(`ai-blame: error: ${err.message}\n`);
    return err.code === "usage" ? 2 : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`ai-blame: error: ${message.split("\n")[0] ?? message}\n`);
  if (io.env["AI_BLAME_DEBUG"] && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return 1;
}

/** Parses `argv` (without node and script), runs the command, returns the exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  return (await runCommand(argv, io)).code;
}

/** The command that goes on working after its action returns: the language server serves until its client leaves. */
const SERVING_COMMAND = "lsp";

/** `run`, also saying whether the command started a server (then the process must not end when it returns). */
async function runCommand(argv: string[], io: CliIo): Promise<{ code: number; serving: boolean }> {
  let serving = false;
  // A holder: the hook below sets it, and TypeScript does not see assignments made in callbacks.
  const paging: { output: PagedOutput | null } = { output: null };
  try {
    if (argv.length === 1 && VERSION_FLAGS.has(argv[0] ?? "")) {
      // What commander prints for it, without building the command tree first (editors ask it to find the binary).
      io.stdout.write(`${VERSION_TEXT}\n`);
      return { code: 0, serving };
    }
    const program = buildProgram(io, argv);
    if (argv.length === 0) {
      // As the reference: no command prints the help to stderr and is a usage error.
      io.stderr.write(program.helpInformation());
      return { code: 2, serving };
    }
    program.hook("preAction", (_program, action) => {
      serving = action.parent === program && action.name() === SERVING_COMMAND;
      paging.output = startPager(io, program, action);
    });
    program.hook("postAction", () => keepReadContents());
    await program.parseAsync(argv, { from: "user" });
    await paging.output?.close();
    return { code: 0, serving };
  } catch (err) {
    await paging.output?.close();
    return { code: reportError(err, io), serving };
  }
}

/** Commands whose output is not for reading page by page: scripts, a server, a file written. */
const UNPAGED_COMMANDS = new Set(["lsp", "completions", "init"]);

/** Routes the command's stdout through the pager when it is for a terminal (see pager.ts); null when not. */
function startPager(io: CliIo, program: Command, action: Command): PagedOutput | null {
  const top = action.parent === program ? action : (action.parent ?? action);
  if (UNPAGED_COMMANDS.has(top.name())) return null;
  const command = pagerCommand(io.env, io.isTTY, program.opts<{ pager?: boolean }>().pager === false);
  if (command === null) return null;
  const paged = new PagedOutput(command, io.env, io.stdout);
  io.stdout = paged.sink;
  return paged;
}

/**
 * Ends the process once a finished command's output is out, instead of when the event loop empties: every command's
 * work is awaited before it returns (the engine awaits its own index writes), and leaving at once skips a last
 * garbage collection and the heap teardown (about 7 ms after a 10,000-line blame). Output still queued (a pipe that
 * is asynchronous on this platform) is left to drain as before, and a failed write is left to its error handler.
 */
function exitWhenWritten(code: number): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0 || stream.errored) return;
  }
  process.exit(code);
}

function start(): void {
  // A closed pipe (`ai-blame timeline | head`) is a normal end, not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    process.stderr.write(`ai-blame: error: cannot write output: ${err.message}\n`);
    process.exit(1);
  });
  const io = processIo();
  runCommand(process.argv.slice(2), io).then(
    ({ code, serving }) => {
      process.exitCode = code;
      if (!serving) exitWhenWritten(code);
    },
    (err: unknown) => {
      process.exitCode = reportError(err, io);
    },
  );
}

start();
