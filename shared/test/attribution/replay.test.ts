// Replaying edits on a content: Codex chunks with seek_sequence's four passes, Claude string edits (curly quotes,
// duplicates placed by hunks) and structuredPatch hunks, and the chain's invariant that its pieces, lines and line
// starts describe the same text through any sequence of steps.

import { describe, expect, it } from "vitest";
import { advance, chainOf, replaceLines, replayMatches, textOf } from "../../src/attribution/chain";
import { applyStringEdits, hunkReplacements } from "../../src/attribution/claude-edits";
import { chunkReplacements, seekSequence } from "../../src/attribution/codex-chunks";
import { joinPieces } from "../../src/attribution/pieces";
import { lineStarts, splitLines } from "../../src/attribution/text";
import { chunk, hunksOf, randomReplacements, text } from "./support";
import { seededRandom } from "../support/random";

/** The text a Codex patch makes of `content`, or null when Codex would reject it. */
function codex(content: string, chunks: Parameters<typeof chunkReplacements>[1]): string | null {
  const chain = chainOf(content, 0);
  const replacements = chunkReplacements(chain.lines, chunks);
  return replacements === null ? null : textOf(replaceLines(chain, replacements, 1, true));
}

describe("seekSequence", () => {
  const lines = ["def f():", "    x = 1   ", "  y = “2”  ", "    return x", "", "def g():"];
  it("tries exact, then trailing-whitespace, then trimmed, then punctuation-folded matches", () => {
    expect(seekSequence(lines, ["    return x"], 0, false)).toBe(3);
    expect(seekSequence(lines, ["    x = 1"], 0, false)).toBe(1);
    expect(seekSequence(lines, ["y = “2”"], 0, false)).toBe(2);
    expect(seekSequence(lines, ['y = "2"'], 0, false)).toBe(2);
    expect(seekSequence(lines, ["    return x"], 4, false)).toBeNull();
  });
  it("anchors end-of-file patterns at the end", () => {
    expect(seekSequence(["a", "b", "a"], ["a"], 0, true)).toBe(2);
    expect(seekSequence(["a", "b", "c"], ["a"], 0, true)).toBe(0);
  });
});

describe("Codex chunks", () => {
  it("seeks each chunk after the previous one, context line first", () => {
    const before = text("fn a() {", "    todo!()", "}", "fn b() {", "    todo!()", "}");
    const after = codex(before, [chunk(["-    todo!()", "+    run_b()"], "fn b() {")]);
    expect(after).toBe(text("fn a() {", "    todo!()", "}", "fn b() {", "    run_b()", "}"));
  });
  it("appends pure additions at the end and always ends with a newline", () => {
    expect(codex("a\nb", [chunk(["+c"])])).toBe(text("a", "b", "c"));
    expect(codex(text("a", ""), [chunk(["+c"])])).toBe(text("a", "c", ""));
  });
  it("retries a pattern without its trailing empty line, and rejects what it cannot place", () => {
    expect(codex("x\ny", [chunk(["-y", "+Y", " "])])).toBe(text("x", "Y"));
    expect(codex(text("x"), [chunk(["-z", "+Z"])])).toBeNull();
    expect(codex(text("x"), [chunk(["-x", "+X"], "missing context")])).toBeNull();
  });
});

describe("Claude string edits", () => {
  const apply = (base: string, edits: Array<[string, string, boolean?]>, hunks?: ReturnType<typeof hunksOf>) =>
    applyStringEdits(base, edits.map(([oldString, newString, replaceAll]) => ({ oldString, newString, replaceAll: replaceAll ?? false })), hunks)?.text ?? null;

  it("matches curly quotes in the file with straight quotes in the edit", () => {
    expect(apply("say(‘hi’);\n", [["say('hi');", "say('bye');"]])).toBe("say('bye');\n");
  });
  it("fills an empty file from an empty old string and refuses one on a non-empty file", () => {
    expect(apply("", [["", "new\n"]])).toBe("new\n");
    expect(apply("x\n", [["", "new\n"]])).toBeNull();
  });
  it("places a repeated old string by the hunk's old range", () => {
    const before = text("a = 0", "b", "c", "d", "e", "f", "g", "h", "a = 0");
    const after = text("a = 0", "b", "c", "d", "e", "f", "g", "h", "a = 1");
    expect(apply(before, [["a = 0", "a = 1"]], hunksOf(before, after))).toBe(after);
    expect(apply(before, [["a = 0", "a = 1"]])).toBe(text("a = 1", "b", "c", "d", "e", "f", "g", "h", "a = 0"));
  });
  it("reports the unchanged head and tail of the result", () => {
    const r = applyStringEdits("abc\ndef\nghi\n", [{ oldString: "def", newString: "DEF!", replaceAll: false }], undefined);
    expect(r).toEqual({ prefix: 4, suffix: 5, text: "abc\nDEF!\nghi\n" });
  });
});

describe("structuredPatch hunks", () => {
  it("apply at their line, or at the nearest place when lines moved", () => {
    const before = text("1", "2", "3", "4", "5", "6", "7", "8");
    const after = text("1", "2", "3", "4", "five", "6", "7", "8");
    const hunks = hunksOf(before, after);
    const chain = chainOf(before, 0);
    const replacements = hunkReplacements(chain.lines, hunks)!;
    expect(replayMatches(chain, replacements, true, after)).toBe(true);
    expect(replayMatches(chain, replacements, true, text("1", "2", "3", "4", "fivE", "6", "7", "8"))).toBe(false);
    expect(replayMatches(chain, replacements, false, after)).toBe(false);
    expect(textOf(replaceLines(chain, replacements, 1, true))).toBe(after);
    // Two lines inserted above since the patch was made: the hunk is found two lines lower.
    const shifted = chainOf(text("0a", "0b", "1", "2", "3", "4", "5", "6", "7", "8"), 0);
    expect(textOf(replaceLines(shifted, hunkReplacements(shifted.lines, hunks)!, 1, true))).toBe(text("0a", "0b", "1", "2", "3", "4", "five", "6", "7", "8"));
    expect(hunkReplacements(chainOf(text("x"), 0).lines, hunks)).toBeNull();
  });
});

describe("chain", () => {
  it("keeps pieces, lines, starts and owners consistent through random steps", () => {
    const rnd = seededRandom(42);
    const word = () => ["", "x", "yy", "}", "zzz zz"][Math.floor(rnd() * 5)]!;
    let chain = chainOf(text("a", "b", "c"), 0);
    let current = textOf(chain);
    let expected = splitLines(current);
    let finalNewline = true;
    for (let step = 1; step <= 300; step++) {
      if (rnd() < 0.3) {
        // A recorded content: a random rewrite of some lines, sometimes with CRLF or without final newline.
        const next = expected.map((l) => (rnd() < 0.1 ? word() : l));
        if (rnd() < 0.3) next.splice(Math.floor(rnd() * (next.length + 1)), 0, word());
        finalNewline = rnd() < 0.8;
        const eol = rnd() < 0.2 ? "\r\n" : "\n";
        const raw = next.length === 0 ? "" : next.join(eol) + (finalNewline ? eol : "");
        chain = advance(chain, raw, step);
        current = raw.replace(/\r\n/g, "\n");
        expected = splitLines(current);
      } else {
        // Line replacements (hunks, Codex chunks).
        const replacements = randomReplacements(rnd, expected.length, word);
        const next = [...expected];
        for (const r of [...replacements].reverse()) next.splice(r.start, r.length, ...r.lines);
        finalNewline = rnd() < 0.8;
        const want = next.length === 0 ? "" : next.join("\n") + (finalNewline ? "\n" : "");
        expect(replayMatches(chain, replacements, finalNewline, want)).toBe(true);
        chain = replaceLines(chain, replacements, step, finalNewline);
        current = want;
        expected = splitLines(current);
      }
      expect(chain.lines).toEqual(expected);
      expect(chain.owners.length).toBe(expected.length);
      expect(joinPieces(chain.pieces)).toBe(current);
      if (chain.starts !== null) expect(Array.from(chain.starts)).toEqual(Array.from(lineStarts(current)));
    }
  });
});
