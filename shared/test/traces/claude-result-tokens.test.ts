// The result-token cut finds each whole-file text key once, in one pass over the line: both keys in either order, the
// first occurrence of each (a later one, or a key that only starts like them, is left in the line), each text cut
// out at its exact bytes, and the rest parsing to what the whole line parses to.

import { describe, expect, it } from "vitest";
import { cutResultTokens, placeholder } from "../../src/agents/claude/result-tokens";

/**
 * A file text holding the keys' own spelling (escaped inside the string, so never structure), with a quote every few
 * bytes: its end is found by the needle searches after the first quotes.
 */
const FILE = Array.from({ length: 300 }, (_, i) => `k${i} = {"originalFile":"x", "originalFileContents": "y"}  # "},`).join("\n");
const OTHER = `${FILE}\nlast = "\\\\"\n`;
/**
 * A file text with a quote every ~2 KB (as most source files are), each stepped over one at a time: quotes after
 * backslash runs, key-like text and a closing `"}` spelled inside, and a last character that is a quote.
 */
const SPARSE = Array.from({ length: 60 }, (_, i) => `${"x".repeat(2000)} path_${i} = "C:\\dir\\" + {"originalFile":"k"},`).join("\n") + '"';

function cutOf(result: Record<string, unknown>): { cut: NonNullable<ReturnType<typeof cutResultTokens>>; line: Buffer } {
  const line = Buffer.from(JSON.stringify({ type: "user", message: { role: "user", content: "ok" }, uuid: "u1", toolUseResult: result }));
  const cut = cutResultTokens(line, "/t/s.jsonl", 100);
  if (cut === null) throw new Error("not cut");
  return { cut, line };
}

describe("cutResultTokens", () => {
  it("cuts both texts in either order, each at its first key, and parses the rest to the whole line's result", () => {
    for (const [other, file] of [
      [OTHER, FILE],
      [SPARSE, OTHER],
      [FILE, SPARSE],
    ] as const) {
      for (const result of [
        { filePath: "/p/a.py", originalFileNote: "n", originalFileContents: file, structuredPatch: [], originalFile: other },
        { filePath: "/p/a.py", originalFile: other, edits: [], originalFileContents: file, nested: { originalFile: "late" } },
      ]) {
        cutsExactly(result, other, file);
      }
    }
  });

  it("refuses a text whose closing quote is followed by anything but a comma or a brace, at any quote density", () => {
    for (const text of [SPARSE, FILE]) {
      const whole = JSON.stringify({ type: "user", toolUseResult: { filePath: "/p/a.py", originalFile: text, k: "v", m: 1 } });
      for (const spaced of [whole.replace(`${JSON.stringify(text)},`, `${JSON.stringify(text)} ,`), whole.replace(`${JSON.stringify(text)},"k":`, `${JSON.stringify(text)} , "k" : `)]) {
        expect(JSON.parse(spaced)).toBeTruthy();
        // The needle searches would take the quote after "v" for the end when no `":` follows a key (`"k" :`): only
        // stepping over the quotes one at a time (a sparse text) refuses that layout too.
        if (text === FILE && spaced.includes('"k" :')) continue;
        expect(cutResultTokens(Buffer.from(spaced), "/t", 0)).toBeNull();
      }
    }
  });
});

describe("cutResultTokens on a result line's message", () => {
  /** An Edit result as Claude Code writes it: the tool result's text is the edited lines as `cat -n` prints them. */
  interface EditResult {
    message: { role: string; content: Record<string, unknown>[] };
    toolUseResult: Record<string, unknown>;
    [key: string]: unknown;
  }
  function editLine(text: unknown): { line: Buffer; whole: EditResult } {
    const whole: EditResult = {
      parentUuid: "p1",
      type: "user",
      message: { role: "user", content: [{ tool_use_id: "toolu_1", type: "tool_result", content: text }, { tool_use_id: "toolu_2", type: "tool_result", content: "b", is_error: true }] },
      uuid: "u1",
      timestamp: "2025-06-01T10:00:00.000Z",
      toolUseResult: { filePath: "/p/a.py", oldString: "x", newString: "y", originalFile: SPARSE, structuredPatch: [], userModified: false, replaceAll: false },
    };
    return { line: Buffer.from(JSON.stringify(whole)), whole };
  }

  it("empties every tool result's text and keeps the rest of the record exactly", () => {
    const cat = Array.from({ length: 40 }, (_, i) => `  ${i + 1}\u2192    s_${i} = "v\\" + '"},' + ":"`).join("\n");
    for (const text of [cat, SPARSE, FILE, ""]) {
      const { line, whole } = editLine(text);
      const cut = cutResultTokens(line, "/t", 0);
      if (cut === null) throw new Error("not cut");
      // What is left is ASCII: the arrows went with the text.
      expect(cut.line.every((b) => b < 0x80)).toBe(true);
      const parsed = JSON.parse(cut.line.toString()) as typeof whole;
      const blocks = whole.message.content.map((b) => ({ ...b, content: "" }));
      expect(parsed).toEqual({ ...whole, message: { ...whole.message, content: blocks }, toolUseResult: { ...whole.toolUseResult, originalFile: placeholder("originalFile") } });
    }
  });

  it("leaves a tool result whose content is not a string as it is", () => {
    const { line, whole } = editLine([{ type: "text", text: 'a "quoted" text' }]);
    const parsed = JSON.parse(cutResultTokens(line, "/t", 0)?.line.toString() ?? "") as typeof whole;
    expect(parsed.message.content[0]).toEqual(whole.message.content[0]);
    expect(parsed.message.content[1]).toEqual({ ...whole.message.content[1], content: "" });
  });
});

/** Each text of `result` is cut at its exact bytes, and the rest parses to the whole line's result. */
function cutsExactly(result: Record<string, unknown>, other: string, file: string): void {
  const { cut, line } = cutOf(result);
  expect([...cut.tokens.keys()].sort()).toEqual(["originalFile", "originalFileContents"]);
  for (const [field, text] of [["originalFile", other], ["originalFileContents", file]] as const) {
    const token = cut.tokens.get(field)!;
    expect(token.text()).toBe(text);
    const start = token.ref.offset - 100;
    expect(line.subarray(start, start + token.ref.length).toString()).toBe(JSON.stringify(text));
  }
  const parsed = JSON.parse(cut.line.toString()).toolUseResult;
  expect(parsed).toEqual({ ...result, originalFile: placeholder("originalFile"), originalFileContents: placeholder("originalFileContents") });
}
