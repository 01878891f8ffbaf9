// The CLI's I/O channels and error types: every command writes data to `io.stdout` and messages to `io.stderr`, never
// to `process.*` directly, so tests and the LSP command can substitute them. Errors thrown as UsageError exit 2,
// RuntimeError exit 1; main.ts is the only place that turns them into a message and an exit code.

import { fstatSync, writeSync } from "node:fs";

export interface TextSink {
  write(text: string): void;
  /**
   * Writes UTF-8 bytes completely before returning and keeps no reference to them, so the caller may reuse the buffer
   * (large outputs are encoded piece by piece into one buffer). Only sinks that write synchronously offer it.
   */
  writeBytesNow?(bytes: Uint8Array): void;
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

/**
 * `writeBytesNow` for stdout when it is a file or a device such as /dev/null (never a terminal or a pipe): those take
 * synchronous writes that never wait, as Node's own stream for them does; pipes keep going through process.stdout.
 */
function fileStdout(isTTY: boolean): TextSink["writeBytesNow"] {
  if (isTTY) return undefined;
  try {
    const stat = fstatSync(1);
    if (!stat.isFile() && !stat.isCharacterDevice()) return undefined;
  } catch {
    return undefined;
  }
  return (bytes) => {
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(1, bytes, done, bytes.length - done);
    } catch (err) {
      throw new RuntimeError(`cannot write output: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** The real process channels, with the colour policy of SPEC §6 (TTY and no NO_COLOR). */
export function processIo(): CliIo {
  const isTTY = process.stdout.isTTY === true;
  // A terminal without a size (a bare pseudo-terminal) reports 0 columns.
  const columns = isTTY ? process.stdout.columns : undefined;
  const noColor = process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "";
  return {
    stdout: { write: (text) => void process.stdout.write(text), writeBytesNow: fileStdout(isTTY) },
    stderr: { write: (text) => void process.stderr.write(text) },
    isTTY,
    stderrIsTTY: process.stderr.isTTY === true,
    color: isTTY && !noColor,
    width: columns !== undefined && columns > 0 ? columns : 80,
    env: process.env,
    cwd: process.cwd(),
  };
}
