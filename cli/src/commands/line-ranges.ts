// `blame -L` as git spells it: `<start>,<end>`, `<start>,+<count>`, `<start>,-<count>`, `<start>` (to the end),
// `,<end>`, with `/regex/` (searched after the previous range) or `^/regex/` (from the top) for either side.
// Parsing checks the syntax while commander reads the flags (a usage error before any trace is read); resolving
// against the file's lines happens once its text is known. The user's regex runs on V8's linear-time engine, so a
// pathological line (a minified bundle of megabytes) cannot make it backtrack for ever.

import { setFlagsFromString } from "node:v8";
import { InvalidArgumentError } from "commander";
import type { LineRange } from "../output/blame-text";

/** One side of a range: a line number, a regex (from the top with `^/…/`), or for the end an offset. */
type Bound =
  | { kind: "line"; line: number }
  | { kind: "regex"; regex: RegExp; source: string; fromTop: boolean }
  | { kind: "offset"; count: number };

export interface LineRangeSpec {
  text: string;
  start: Bound | null;
  end: Bound | null;
}

let linearEngineEnabled = false;

/**
 * Compiles a user regex for the linear-time engine (flag `l`). Its syntax has no backreferences or lookaround;
 * such a pattern is refused with a message rather than run with backtracking.
 */
export function compileLinearRegex(source: string): RegExp {
  if (!linearEngineEnabled) {
    setFlagsFromString("--enable-experimental-regexp-engine");
    linearEngineEnabled = true;
  }
  try {
    return new RegExp(source, "l");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/linear time/i.test(message)) {
      throw new InvalidArgumentError(`regex /${source}/ needs backtracking (backreference or lookaround), which -L does not run`);
    }
    if (/flags/i.test(message)) {
      // A runtime without the linear engine: refuse rather than run an unbounded regex over the file.
      throw new InvalidArgumentError("this Node.js has no linear-time regex engine; use line numbers with -L");
    }
    throw new InvalidArgumentError(`invalid regex /${source}/: ${message.replace(/^Invalid regular expression: /, "")}`);
  }
}

/** Reads `/…/` at `at` (git's escaping: `\/` is a slash inside); returns the source and the index after it. */
function readRegex(text: string, at: number): { source: string; next: number } {
  let source = "";
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && text[i + 1] === "/") {
      source += "/";
      i++;
    } else if (ch === "\\" && i + 1 < text.length) {
      source += ch + text[i + 1];
      i++;
    } else if (ch === "/") {
      return { source, next: i + 1 };
    } else {
      source += ch;
    }
  }
  throw new InvalidArgumentError(`unterminated regex in '${text}'`);
}

function readBound(text: string, at: number, isEnd: boolean): { bound: Bound | null; next: number } {
  if (at >= text.length || text[at] === ",") return { bound: null, next: at };
  const fromTop = text[at] === "^" && text[at + 1] === "/";
  if (text[at] === "/" || fromTop) {
    const { source, next } = readRegex(text, fromTop ? at + 1 : at);
    if (source === "") throw new InvalidArgumentError(`empty regex in '${text}'`);
    return { bound: { kind: "regex", regex: compileLinearRegex(source), source, fromTop }, next };
  }
  const m = /^([+-]?)(\d+)/.exec(text.slice(at));
  if (!m) throw new InvalidArgumentError(`expected a line number, +N, -N or /regex/ in '${text}'`);
  const sign = m[1] ?? "";
  const value = Number.parseInt(m[2] ?? "", 10);
  const next = at + m[0].length;
  if (sign !== "") {
    if (!isEnd) throw new InvalidArgumentError(`the start of '${text}' cannot be an offset`);
    if (value === 0) throw new InvalidArgumentError(`an offset in '${text}' must be at least 1`);
    return { bound: { kind: "offset", count: sign === "+" ? value : -value }, next };
  }
  if (value < 1) throw new InvalidArgumentError(`line numbers start at 1 (in '${text}')`);
  return { bound: { kind: "line", line: value }, next };
}

/** `-L` (repeatable): checks the syntax and collects the specs in order. */
export function parseLineRangeSpec(value: string, previous: LineRangeSpec[] | undefined): LineRangeSpec[] {
  const text = value.trim();
  if (text === "") throw new InvalidArgumentError("expected <start>,<end> (e.g. 10,20, 10,+5 or /def main/,+10)");
  if (text.startsWith(":")) throw new InvalidArgumentError("-L :<funcname> is not supported; use /regex/,+N");
  const first = readBound(text, 0, false);
  let end: Bound | null = null;
  let at = first.next;
  if (at < text.length) {
    if (text[at] !== ",") throw new InvalidArgumentError(`expected ',' after the start of '${text}'`);
    const second = readBound(text, at + 1, true);
    end = second.bound;
    at = second.next;
  }
  if (at < text.length) throw new InvalidArgumentError(`unexpected '${text.slice(at)}' in '${text}'`);
  if (first.bound === null && end === null) throw new InvalidArgumentError(`'${text}' names no line`);
  return [...(previous ?? []), { text, start: first.bound, end }];
}

/** The first line (1-based) at or after `from` whose text matches, or null. */
function findLine(lines: readonly string[], regex: RegExp, from: number): number | null {
  for (let n = Math.max(from, 1); n <= lines.length; n++) {
    regex.lastIndex = 0;
    if (regex.test(lines[n - 1] ?? "")) return n;
  }
  return null;
}

/**
 * The line ranges the specs name in a file of `lines`, in git's reading: a start regex searches after the previous
 * range, a reversed range is swapped, an end past the file is cut. Ranges come back sorted and merged. Throws a
 * message for a start past the end of the file or a regex with no match.
 */
export function resolveLineRanges(specs: readonly LineRangeSpec[], lines: readonly string[]): LineRange[] {
  const total = lines.length;
  const ranges: LineRange[] = [];
  let previousEnd = 0;
  for (const spec of specs) {
    let start = 1;
    const s = spec.start;
    if (s?.kind === "line") start = s.line;
    else if (s?.kind === "regex") {
      const found = findLine(lines, s.regex, s.fromTop ? 1 : previousEnd + 1);
      if (found === null) throw new Error(`-L ${spec.text}: no line matches /${s.source}/`);
      start = found;
    }
    if (start > total) throw new Error(`-L ${spec.text}: the file has only ${total} line${total === 1 ? "" : "s"}`);
    let end = total;
    const e = spec.end;
    if (e?.kind === "line") end = e.line;
    else if (e?.kind === "offset") end = e.count > 0 ? start + e.count - 1 : start + e.count + 1;
    else if (e?.kind === "regex") {
      const found = findLine(lines, e.regex, start + 1);
      if (found === null) throw new Error(`-L ${spec.text}: no line after ${start} matches /${e.source}/`);
      end = found;
    }
    if (end < start) [start, end] = [end, start];
    start = Math.max(start, 1);
    end = Math.min(end, total);
    ranges.push({ start, end });
    previousEnd = end;
  }
  return mergeRanges(ranges);
}

/** Sorted, with overlapping or touching ranges joined. */
export function mergeRanges(ranges: readonly LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: LineRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}
