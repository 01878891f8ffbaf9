// The result-token cut finds each whole-file text key once, in one pass over the line: both keys in either order, the
// first occurrence of each (a later one, or a key that only starts like them, is left in the line), each text cut
// out at its exact bytes, and the rest parsing to what the whole line parses to.

import { describe, expect, it } from "vitest";
import { cutResultTokens, placeholder } from "../../src/agents/claude/result-tokens";

/** A file text holding the keys' own spelling (escaped inside the string, so never structure). */
const FILE = Array.from({ length: 300 }, (_, i) => `k${i} = {"originalFile":"x", "originalFileContents": "y"}  # "},`).join("\n");
const OTHER = `${FILE}\nlast = "\\\\"\n`;

function cutOf(result: Record<string, unknown>): { cut: NonNullable<ReturnType<typeof cutResultTokens>>; line: Buffer } {
  const line = Buffer.from(JSON.stringify({ type: "user", message: { role: "user", content: "ok" }, uuid: "u1", toolUseResult: result }));
  const cut = cutResultTokens(line, "/t/s.jsonl", 100);
  if (cut === null) throw new Error("not cut");
  return { cut, line };
}

describe("cutResultTokens", () => {
  it("cuts both texts in either order, each at its first key, and parses the rest to the whole line's result", () => {
    for (const result of [
      { filePath: "/p/a.py", originalFileNote: "n", originalFileContents: FILE, structuredPatch: [], originalFile: OTHER },
      { filePath: "/p/a.py", originalFile: OTHER, edits: [], originalFileContents: FILE, nested: { originalFile: "late" } },
    ]) {
      const { cut, line } = cutOf(result);
      expect([...cut.tokens.keys()].sort()).toEqual(["originalFile", "originalFileContents"]);
      for (const [field, text] of [["originalFile", OTHER], ["originalFileContents", FILE]] as const) {
        const token = cut.tokens.get(field)!;
        expect(token.text()).toBe(text);
        const start = token.ref.offset - 100;
        expect(line.subarray(start, start + token.ref.length).toString()).toBe(JSON.stringify(text));
      }
      const parsed = JSON.parse(cut.line.toString()).toolUseResult;
      expect(parsed).toEqual({ ...result, originalFile: placeholder("originalFile"), originalFileContents: placeholder("originalFileContents") });
    }
  });
});
