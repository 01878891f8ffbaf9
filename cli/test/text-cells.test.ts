// Fixed-width cells count characters (code points), never UTF-16 units: the length/slice fast path for text without
// surrogates must cut and pad exactly as counting with Array.from does, for emoji, lone surrogates and odd widths.

import { describe, expect, it } from "vitest";
import { fit, padLeft, padRight } from "../src/output/text";

/** The definition: characters as Array.from splits them. */
function fitByChars(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join("");
  return `${chars.slice(0, width - 1).join("")}…`;
}

describe("text cells", () => {
  it("cut and pad by characters", () => {
    expect(padRight("claude-opus-4-5", 8)).toBe("claude-…");
    expect(padRight("日本語", 5)).toBe("日本語  ");
    expect(padRight("a😀b😀c", 4)).toBe("a😀b…");
    expect(padLeft("42", 5)).toBe("   42");
    expect(padLeft("😀", 3)).toBe("  😀");
  });

  it("agree with Array.from counting on every mix of plain, accented, wide, astral and lone-surrogate text", () => {
    const alphabet = ["a", "é", "日", "😀", "\ud800", "\udc00", "…", " "];
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 5000; i++) {
      let text = "";
      for (let j = next(12); j > 0; j--) text += alphabet[next(alphabet.length)];
      const width = next(16) - 3;
      const count = Array.from(fitByChars(text, width)).length;
      expect(fit(text, width), `${JSON.stringify(text)} ${width}`).toBe(fitByChars(text, width));
      expect(padRight(text, width)).toBe(fitByChars(text, width) + " ".repeat(Math.max(0, width - count)));
      expect(padLeft(text, width)).toBe(" ".repeat(Math.max(0, width - Array.from(text).length)) + text);
    }
  });
});
