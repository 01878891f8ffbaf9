// History values restricted to the safe character set, HTML comment text without `<`, `>`, `--`, and the comment
// writer against every line terminator and comment syntax annotate writes: the block reads back exactly, holds no
// line terminator but its own line ends, and leaves every line of the user's text where it was.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyCommentBlock, readCommentBlock, stripCommentBlock } from "../../src/annotate/comment-block";
import { COMMENT_SYNTAXES, htmlCommentText, LINE_TERMINATORS, safeHistoryText } from "../../src/annotate/escape";
import type { HistoryEntry } from "../../src/annotate/history";

function entry(model: string): HistoryEntry {
  return { timestamp: "2025-12-28T15:20:54Z", model, action: "CREATED", agent_tool: "claude-code" };
}

const CODE = { hash: "print('ok')\n", slash: "console.log('ok');\n", html: "# Notes\n" } as const;

describe("safe history values", () => {
  it("keeps letters, digits, punctuation, symbols and spaces, and writes everything else as \\u{…}", () => {
    expect(safeHistoryText("claude-opus-4-5 (2025) ✦ модель")).toBe("claude-opus-4-5 (2025) ✦ модель");
    expect(safeHistoryText("a\u2028b\u2029c\u0085d\re\nf\tg")).toBe("a\\u{2028}b\\u{2029}c\\u{0085}d\\u{000D}e\\u{000A}f\\u{0009}g");
    // Trojan-source bidi overrides, zero-width and BOM, a lone surrogate, NBSP, and the backslash itself.
    expect(safeHistoryText("x\u202ey\u200bz\ufeff\ud800\u00a0\\")).toBe("x\\u{202E}y\\u{200B}z\\u{FEFF}\\u{D800}\\u{00A0}\\u{005C}");
    expect(safeHistoryText("emoji 😀 ok")).toBe("emoji 😀 ok");
  });

  it("never leaves <, > or -- in HTML comment text", () => {
    expect(htmlCommentText("x --><script>")).toBe("x -\\u{002D}\\u{003E}\\u{003C}script\\u{003E}");
    expect(htmlCommentText("a---b")).toBe("a-\\u{002D}-b");
    expect(htmlCommentText("claude-opus-4-5")).toBe("claude-opus-4-5");
  });
});

describe("comment blocks with hostile values", () => {
  for (const syntax of COMMENT_SYNTAXES) {
    for (const eol of LINE_TERMINATORS) {
      const name = `U+${eol.charCodeAt(0).toString(16).padStart(4, "0")}`;
      it(`${syntax}: a model holding ${name} stays inside one comment line`, () => {
        const model = safeHistoryText(`m${eol}evil()${eol}--> */ --- end edit_history ---`);
        const out = applyCommentBlock(CODE[syntax], syntax, [entry(model)]);
        if (!out.ok) throw new Error(out.reason);
        for (const t of LINE_TERMINATORS) if (t !== "\n") expect(out.text.includes(t)).toBe(false);
        expect(out.text.startsWith(`${CODE[syntax]}\n`)).toBe(true);
        expect(stripCommentBlock(out.text, syntax)).toBe(CODE[syntax]);
        const back = readCommentBlock(out.text, syntax);
        const expected = syntax === "html" ? htmlCommentText(model) : model;
        expect(back).toEqual([{ ...entry(expected) }]);
      });
    }
  }

  it("an unescaped value that would break the block is refused, not written", () => {
    const out = applyCommentBlock(CODE.slash, "slash", [entry("gpt\u2028require('x')\u2028//")]);
    expect(out).toEqual({ ok: false, reason: "the edit_history block would not read back as written" });
    expect(applyCommentBlock(CODE.html, "html", [entry("x\u0085y\u202ez")]).ok).toBe(false);
  });
});

describe("markers", () => {
  it("count only as whole lines: a copy of comment-block.ts loses no code", () => {
    const source = readFileSync(join(__dirname, "../../src/annotate/comment-block.ts"), "utf8");
    expect(source).toContain("--- end edit_history ---");
    const once = applyCommentBlock(source, "slash", [entry("claude-opus-4-5")]);
    if (!once.ok) throw new Error(once.reason);
    expect(once.text.startsWith(`${source}\n// --- edit_history ---\n`)).toBe(true);
    expect(stripCommentBlock(once.text, "slash")).toBe(source);
    const twice = applyCommentBlock(once.text, "slash", [entry("claude-opus-4-5"), { ...entry("b"), timestamp: "2025-12-29T00:00:00Z" }]);
    if (!twice.ok) throw new Error(twice.reason);
    expect(stripCommentBlock(twice.text, "slash")).toBe(source);
  });

  it("a marker line around text that is not a block of ours makes the file invalid, untouched", () => {
    const text = 'x = """\n# --- edit_history ---\nnot a comment\n# --- end edit_history ---\n"""\n';
    const out = applyCommentBlock(text, "hash", [entry("m")]);
    expect(out).toEqual({ ok: false, reason: "the edit_history comment block at lines 2-4 was not written by annotate" });
    expect(stripCommentBlock(text, "hash")).toBe(text);
  });

  it("an injected block written by an older version is replaced by a safe one", () => {
    const old = "console.log('ok');\n\n// --- edit_history ---\n// - model: gpt\u2028evil()\u2028//\n// --- end edit_history ---\n";
    const out = applyCommentBlock(old, "slash", [entry("gpt")]);
    if (!out.ok) throw new Error(out.reason);
    expect(out.text).not.toContain("\u2028");
    expect(stripCommentBlock(out.text, "slash")).toBe("console.log('ok');\n");
  });
});
