// The CLI's I/O channels and error types: every command writes data to `io.stdout` and messages to `io.stderr`, never
// to `process.*` directly, so tests and the LSP command can substitute them. Errors thrown as UsageError exit 2,
// RuntimeError exit 1; main.ts is the only place that turns them into a message and an exit code.

export interface TextSink {
  write(text: string): void;
}

export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** stdout is a terminal (human layouts may adapt; colour also needs `color`). */
  isTTY: boolean;
  /** stderr is a terminal (progress indicators appear only then). */
  stderrIsTTY: boolean;
  /** Colour allowed: stdout is a TTY and NO_COLOR is unset. */
  color: boolean;
  /** Terminal width in columns (80 when unknown or stdout is not a terminal). */
  width: number;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Bad arguments or flags: exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The command could not do its job (missing file, unreadable input…): exit code 1. */
export class RuntimeError extends Error {
  override readonly name = "RuntimeError";
}

/** The real process channels, with the colour policy of SPEC §6 (TTY and no NO_COLOR). */
export function processIo(): CliIo {
  const isTTY = process.stdout.isTTY === true;
  // A terminal without a size (a bare pseudo-terminal) reports 0 columns.
  const columns = isTTY ? process.stdout.columns : undefined;
  const noColor = process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "";
  return {
    stdout: { write: (text) => void process.stdout.write(text) },
    stderr: { write: (text) => void process.stderr.write(text) },
    isTTY,
    stderrIsTTY: process.stderr.isTTY === true,
    color: isTTY && !noColor,
    width: columns !== undefined && columns > 0 ? columns : 80,
    env: process.env,
    cwd: process.cwd(),
  };
}
