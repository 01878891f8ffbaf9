// The part every parser's `parse` shares: stream the file's lines from the offset into a per-call run, then report
// what the run collected in the ParseOutput shape (events, sessions, resume state, skipped lines, read errors).

import type { EditEvent, SessionInfo } from "../events/edit-event";
import { readLines } from "./jsonl-reader";
import type { ParseInput, ParseOutput } from "./parser";

/** One parse call's state machine: it sees each complete line once, in order. */
export interface LineRun {
  readonly events: EditEvent[];
  readonly skipped: number;
  line(line: Buffer, offset: number): void;
  /** Sessions seen so far and the JSON-serialisable state to resume from, asked for after the last line. */
  finish(): { sessions: SessionInfo[]; state: unknown };
}

export async function parseLines(input: ParseInput, run: LineRun, compressed = false): Promise<ParseOutput> {
  // A line the run throws on is counted by the reader as skipped, and the lines after it are still read.
  const read = await readLines(input.path, {
    fromOffset: input.fromOffset,
    compressed,
    // A bound function per parse, not a closure: the reader's call site then stays generic (it meets a new target per
    // trace) instead of inlining one agent's run, which V8 threw away and compiled again at the first trace of the
    // other agent (a "wrong map" deoptimization of the reader's push, the Claude parser's line inlined in it).
    onLine: run.line.bind(run),
  });
  const { sessions, state } = run.finish();
  const output: ParseOutput = {
    events: run.events,
    sessions,
    endOffset: read.endOffset,
    state,
    skippedLines: run.skipped + read.skippedLines,
    bytesRead: read.bytesRead,
  };
  if (read.error !== undefined) output.error = read.error;
  return output;
}
