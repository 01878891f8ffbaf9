// The line diff against a dynamic-programming LCS on many random inputs with heavy repetition (blank lines, braces),
// plus the anchored fallback used when a region is too costly for Myers.

import { describe, expect, it } from "vitest";
import { matchLines } from "../../src/attribution/line-diff";
import { seededRandom } from "../support/random";

function lcsLength(a: readonly string[], b: readonly string[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = dp[i] as number[];
      row[j] = a[i] === b[j] ? (dp[i + 1] as number[])[j + 1]! + 1 : Math.max((dp[i + 1] as number[])[j]!, row[j + 1]!);
    }
  }
  return (dp[0] as number[])[0]!;
}

/** The kept pairs, after checking they form a common subsequence. */
function keptPairs(a: readonly string[], b: readonly string[], match: Int32Array): number {
  let lastA = -1;
  let kept = 0;
  match.forEach((i, j) => {
    if (i < 0) return;
    expect(i).toBeGreaterThan(lastA);
    expect(a[i]).toBe(b[j]);
    lastA = i;
    kept++;
  });
  return kept;
}

describe("matchLines", () => {
  it("keeps common lines and marks inserted ones", () => {
    expect(Array.from(matchLines(["a", "b", "c"], ["a", "x", "c"]))).toEqual([0, -1, 2]);
    expect(Array.from(matchLines([], ["a"]))).toEqual([-1]);
    expect(Array.from(matchLines(["a"], []))).toEqual([]);
    expect(Array.from(matchLines(["}", "", "}"], ["}", "", "", "}"]))).toEqual([0, 1, -1, 2]);
  });

  it("finds a longest common subsequence on random repetitive inputs", () => {
    const rnd = seededRandom(7);
    const alphabet = ["", "}", "{", "  return x;", "foo()", "bar()", "// c"];
    for (let round = 0; round < 400; round++) {
      const a = Array.from({ length: Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]!);
      const b = a.filter(() => rnd() > 0.3);
      for (let k = Math.floor(rnd() * 8); k > 0; k--) b.splice(Math.floor(rnd() * (b.length + 1)), 0, alphabet[Math.floor(rnd() * alphabet.length)]!);
      const match = matchLines(a, b);
      expect(match.length).toBe(b.length);
      expect(keptPairs(a, b, match)).toBe(lcsLength(a, b));
    }
  });

  it("falls back to unique-line anchors when a region exceeds the budget, and stays a common subsequence", () => {
    // Two blocks swapped: the minimal script needs many edits; with a tiny budget the anchors keep the larger block.
    const block = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p} ${i}`);
    const a = [...block("first", 40), ...block("second", 60)];
    const b = [...block("second", 60), ...block("first", 40)];
    const match = matchLines(a, b, 10);
    expect(keptPairs(a, b, match)).toBe(60);
    expect(Array.from(match.slice(0, 60))).toEqual(Array.from({ length: 60 }, (_, i) => 40 + i));
    expect(keptPairs(a, b, matchLines(a, b))).toBe(lcsLength(a, b));
  });
});
