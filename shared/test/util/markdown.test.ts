// proseMarkdown, the transcript's rendering of message text: the exact markdown it writes for ordinary prose (line
// breaks, paragraphs, indentation, fenced code kept as code) and for text that tries to end its fence or form markup.

import { describe, expect, it } from "vitest";
import { proseMarkdown } from "../../src/util/markdown";

describe("proseMarkdown", () => {
  it("keeps paragraphs and line breaks (a hard break inside a paragraph) and shows markup characters as typed", () => {
    expect(proseMarkdown("First line with `code` and *stars*\nsecond line\n\n## not a heading\n- not a list")).toEqual([
      "First line with \\`code\\` and \\*stars\\*  ",
      "second line",
      "",
      "\\## not a heading  ",
      "\\- not a list",
    ]);
  });

  it("keeps indentation as no-break spaces, so an indented line never becomes a code block", () => {
    expect(proseMarkdown("a\n\n    b\n\tc")).toEqual(["a", "", "\u00a0\u00a0\u00a0\u00a0b  ", "\u00a0\u00a0\u00a0\u00a0c"]);
  });

  it("re-fences fenced code with a fence longer than any backtick run inside, its language kept when plain", () => {
    expect(proseMarkdown("Here:\n```ts extra\nconst s = '````';\n```\nafter")).toEqual([
      "Here:",
      "`````ts",
      "const s = '````';",
      "`````",
      "after",
    ]);
    // A tilde fence with a hostile info string: the info is dropped, the content stays code.
    expect(proseMarkdown("~~~ <script>\n```\n## x\n~~~~")).toEqual(["````", "```", "## x", "````"]);
  });

  it("runs an unclosed fence to the end of the text, as CommonMark does, and splits every kind of line break", () => {
    expect(proseMarkdown("x\n```\n## forged\n")).toEqual(["x", "```", "## forged", "", "```"]);
    expect(proseMarkdown("a\r## b\u2028c")).toEqual(["a  ", "\\## b  ", "c"]);
  });
});
