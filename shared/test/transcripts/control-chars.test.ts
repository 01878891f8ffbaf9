// The terminal sanitiser: which characters become visible, which stay, that CRLF endings are not flagged, and that
// the JSON writer's extra escapes parse back to the exact strings.

import { describe, expect, it } from "vitest";
import { escapeCell, escapeControlChars, jsonForTerminal } from "../../src/transcripts/control-chars";

function check(input: string, expected: string): void {
  expect(escapeControlChars(input)).toBe(expected);
}

describe("escapeControlChars", () => {
  it("keeps text, newlines and tabs as they are", () => {
    const plain = "def f():\n\treturn 'ok' — ✓ 日本";
    expect(escapeControlChars(plain)).toBe(plain);
  });

  it("shows ESC sequences, OSC, BEL, backspace and CR as control pictures", () => {
    check("\x1b[1mbold\x1b[0m", "␛[1mbold␛[0m");
    check("\x1b]0;title\x07", "␛]0;title␇");
    check("abc\x08\x08de", "abc␈␈de");
    check("50%\r100%", "50%␍100%");
    check("\x00\x0b\x0c\x1f\x7f", "␀␋␌␟␡");
  });

  it("names C1 controls (one-byte CSI and OSC) by code point", () => {
    check("\x9b31mred \x9d0;t", "<U+009B>31mred <U+009D>0;t");
    check("\x80\x9f\xa0", "<U+0080><U+009F>\xa0");
  });

  it("turns CRLF line ends into LF, flags a lone CR", () => {
    check("one\r\ntwo\r\n", "one\ntwo\n");
    check("one\r\ntwo\rthree", "one\ntwo␍three");
  });

  it("is stable when called twice (no global regex state)", () => {
    check("\x1b[2J", "␛[2J");
    check("\x1b[2J", "␛[2J");
  });
});

describe("escapeCell", () => {
  it("also shows newline, tab and the Unicode line/paragraph separators, so a value stays in its row", () => {
    expect(escapeCell("a\nb\tc\u2028d\u2029e\r\nf\x1b")).toBe("a␊b␉c<U+2028>d<U+2029>e␊f␛");
    expect(escapeCell("plain")).toBe("plain");
    expect(escapeCell("x\ny")).toBe(escapeCell("x\ny"));
  });
});

describe("jsonForTerminal", () => {
  it("escapes DEL and C1 as \\u00XX and parses back to the exact value", () => {
    const value = { prompt: "a\x1b[1mb\x7f\x9b31m", list: ["\x85"] };
    const text = jsonForTerminal(value);
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain("\\u001b[1mb\\u007f\\u009b31m");
    expect(JSON.parse(text)).toEqual(value);
    expect(jsonForTerminal({ a: [1, "x"] })).toBe(JSON.stringify({ a: [1, "x"] }, null, 2));
  });
});
