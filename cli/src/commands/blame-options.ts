// Parsers for the values of `blame`'s own flags (`--lines`, `--columns`, the alias flags). Commander calls them
// while parsing, so a bad value is a usage error (exit 2) reported before any trace is read.

import { InvalidArgumentError } from "commander";
import { COLUMN_LETTERS, type ColumnLetter, type LineRange } from "../output/blame-text";

/** `--lines N-M`: 1-based, inclusive, N ≥ 1, M ≥ N. */
export function parseLineRange(value: string): LineRange {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(value);
  const start = m ? Number.parseInt(m[1] ?? "", 10) : Number.NaN;
  const end = m ? Number.parseInt(m[2] ?? "", 10) : Number.NaN;
  if (!m || start < 1 || end < start) throw new InvalidArgumentError("expected N-M with 1 <= N <= M, e.g. 10-20");
  return { start, end };
}

/** `--columns`: letters S, A, M, T, L, C in any case, whitespace ignored. */
export function parseColumns(value: string): ColumnLetter[] {
  const letters = Array.from(value.replace(/\s+/g, "").toUpperCase());
  if (letters.length === 0) throw new InvalidArgumentError("column list cannot be empty");
  for (const letter of letters) {
    if (!(COLUMN_LETTERS as readonly string[]).includes(letter)) {
      throw new InvalidArgumentError(`invalid column specifier '${letter}'; allowed: ${COLUMN_LETTERS.join(",")}`);
    }
  }
  return letters as ColumnLetter[];
}

/** `FROM=TO` for the alias flags (repeatable; both sides trimmed and non-empty). */
export function parseAlias(value: string, previous: Array<[string, string]> | undefined): Array<[string, string]> {
  const at = value.indexOf("=");
  if (at < 0) throw new InvalidArgumentError("expected FROM=TO");
  const from = value.slice(0, at).trim();
  const to = value.slice(at + 1).trim();
  if (from === "" || to === "") throw new InvalidArgumentError("alias parts cannot be empty");
  return [...(previous ?? []), [from, to]];
}
