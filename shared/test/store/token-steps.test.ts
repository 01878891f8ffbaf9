// Checking a trace's JSON string token against a replayed text in bytes (store/token-steps.ts): an anchor finds each
// line of a token (escaped backslashes before an `n` are not line ends), and a later token is taken only when it is
// exactly the anchor's with the replaced lines written as JSON writes them — one byte off, other escapes, another
// line count or a text without final newline are no answer.

import { expect, it } from "vitest";
import type { LineReplacement } from "../../src/attribution/chain";
import { anchorOf, spellsReplaced } from "../../src/store/token-steps";

const tricky = (i: number): string => [`def f_${i}(x):`, `    s = "q\\n${i}"  # \\`, `\tt = 'é ${i}' \\\\n 😀`, ""][i % 4] ?? "";
const linesOf = (count: number, from = 0): string[] => Array.from({ length: count }, (_, i) => tricky(i + from));
const token = (lines: readonly string[]): Buffer => Buffer.from(JSON.stringify(`${lines.join("\n")}\n`), "utf8");

/** The lines after `replacements` (sorted, not overlapping), as a replay's replaceLines gives them. */
function replaced(lines: readonly string[], replacements: readonly LineReplacement[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const r of replacements) {
    out.push(...lines.slice(at, r.start), ...r.lines);
    at = r.start + r.length;
  }
  out.push(...lines.slice(at));
  return out;
}

it("finds where each line of a token starts, and only in a token that ends every line with a \\n escape", () => {
  const lines = linesOf(40);
  const bytes = token(lines);
  const anchor = anchorOf(bytes, lines.length);
  expect(anchor).not.toBeNull();
  const starts = Array.from(anchor?.starts ?? []);
  const expected = lines.map((_, i) => Buffer.byteLength(JSON.stringify(`${lines.slice(0, i).join("\n")}${i > 0 ? "\n" : ""}`), "utf8") - 1);
  expect(starts).toEqual([...expected, bytes.length - 1]);
  expect(anchorOf(bytes, lines.length + 1)).toBeNull();
  expect(anchorOf(bytes, lines.length - 1)).toBeNull();
  expect(anchorOf(Buffer.from(JSON.stringify(lines.join("\n")), "utf8"), lines.length)).toBeNull();
  expect(anchorOf(Buffer.from(bytes.toString("utf8").replaceAll("\\n", "\\u000a"), "utf8"), lines.length)).toBeNull();
});

it("takes a later token exactly when it is the anchor's with the replaced lines, and anchors it in turn", () => {
  const lines = linesOf(60);
  const anchor = anchorOf(token(lines), lines.length);
  if (anchor === null) throw new Error("no anchor");
  const cases: LineReplacement[][] = [
    [{ start: 0, length: 1, lines: ["first"] }],
    [{ start: 5, length: 3, lines: linesOf(5, 7) }, { start: 20, length: 0, lines: ['new "line" \\'] }],
    [{ start: 58, length: 2, lines: [] }],
    [{ start: 60, length: 0, lines: ["appended", "two é"] }],
    [{ start: 10, length: 40, lines: ["all of it"] }],
  ];
  for (const replacements of cases) {
    const after = replaced(lines, replacements);
    const next = spellsReplaced(anchor, replacements, token(after));
    expect(next).not.toBeNull();
    expect(Array.from(next?.starts ?? [])).toEqual(Array.from(anchorOf(token(after), after.length)?.starts ?? []));
    // A byte off anywhere, kept lines or new: not it.
    const bytes = token(after);
    for (const at of [3, Math.floor(bytes.length / 2), bytes.length - 3]) {
      const off = Buffer.from(bytes);
      off[at] = (off[at] ?? 0) ^ 0x01;
      expect(spellsReplaced(anchor, replacements, off)).toBeNull();
    }
    // Other lines than the step's, or the same text written with other escapes: no answer.
    expect(spellsReplaced(anchor, replacements, token(lines))).toBeNull();
    const escaped = Buffer.from(bytes.toString("utf8").replaceAll("é", "\\u00e9"), "utf8");
    expect(spellsReplaced(anchor, replacements, escaped)).toBeNull();
  }
  // Replacements out of order or past the end: no answer.
  expect(spellsReplaced(anchor, [{ start: 61, length: 0, lines: ["x"] }], token([...lines, "x"]))).toBeNull();
  const unordered: LineReplacement[] = [{ start: 9, length: 1, lines: ["b"] }, { start: 2, length: 1, lines: ["a"] }];
  expect(spellsReplaced(anchor, unordered, token(lines))).toBeNull();
});
