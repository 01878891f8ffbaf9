// Line fingerprints: the whole-text pass, the chain's incremental updates (line replacements, recorded contents) and
// the parser's derivation from a previous version must all give the fingerprint of the resulting text, and texts
// that differ in the ways replay cares about (CRs, final newline, moved or swapped lines) must not share one.

import { describe, expect, it } from "vitest";
import { advance, chainFingerprint, chainOf, dropText, type LineReplacement, replaceLines, textOf } from "../../src/attribution/chain";
import {
  Fingerprinter,
  fingerprintAfter,
  fingerprintEdited,
  lineFingerprint,
  linesFingerprint,
  sameFingerprint,
} from "../../src/attribution/fingerprint";
import { splitLines } from "../../src/attribution/text";
import { seededRandom } from "../support/random";
import { randomReplacements } from "./support";

/** Few distinct words, so lines repeat (duplicates are where placement and pair sums are tested hardest). */
function words(rnd: () => number): () => string {
  const pool = ["", "x", "yy", "}", "  return 0;", "zzz zz", "é€😀"];
  return () => pool[Math.floor(rnd() * pool.length)] as string;
}

function render(lines: readonly string[], finalNewline: boolean, eol = "\n"): string {
  return lines.length === 0 ? "" : lines.join(eol) + (finalNewline ? eol : "");
}

describe("lineFingerprint", () => {
  it("agrees with the fingerprint of the lines attribution splits an LF text into", () => {
    const rnd = seededRandom(7);
    const word = words(rnd);
    for (let i = 0; i < 300; i++) {
      const lines = Array.from({ length: Math.floor(rnd() * 8) }, word);
      const text = render(lines, rnd() < 0.7);
      const split = splitLines(text);
      expect(lineFingerprint(text)).toEqual(linesFingerprint(split, text === "" || text.endsWith("\n")));
      expect(lineFingerprint(text).lines).toBe(split.length);
    }
    expect(lineFingerprint("")).toEqual(linesFingerprint([], true));
    expect(lineFingerprint("\n")).toEqual(linesFingerprint([""], true));
  });

  it("tells apart CRLF, a missing final newline, and moved or swapped lines", () => {
    const base = "import a\nimport b\nimport c\n\nrun()\n";
    const fp = lineFingerprint(base);
    const variants = [
      base.replace(/\n/g, "\r\n"),
      base.slice(0, -1),
      "import b\nimport a\nimport c\n\nrun()\n",
      "import c\nimport b\nimport a\n\nrun()\n",
      "\nrun()\nimport a\nimport b\nimport c\n",
      "import a\nimport b\nimport c\nrun()\n\n",
      "import a\nimport b\nimport c\n\nrun()\n\n",
    ];
    for (const v of variants) expect(sameFingerprint(lineFingerprint(v), fp), JSON.stringify(v)).toBe(false);
    expect(lineFingerprint(base)).toEqual(fp);
  });
});

describe("fingerprintAfter", () => {
  it("gives the fingerprint of the lines after random replacements, or null when an empty last line folds", () => {
    const rnd = seededRandom(11);
    const word = words(rnd);
    let nulls = 0;
    for (let i = 0; i < 2000; i++) {
      const lines = Array.from({ length: Math.floor(rnd() * 8) }, word);
      const finalNewline = lines.length === 0 || rnd() < 0.7;
      const replacements: LineReplacement[] = [];
      let at = 0;
      while (at <= lines.length && rnd() < 0.7) {
        const start = at + Math.floor(rnd() * 2);
        if (start > lines.length) break;
        const length = Math.min(Math.floor(rnd() * 3), lines.length - start);
        replacements.push({ start, length, lines: Array.from({ length: Math.floor(rnd() * 3) }, word) });
        at = start + length;
      }
      const nextFinalNewline = rnd() < 0.7;
      const next = [...lines];
      for (const r of [...replacements].reverse()) next.splice(r.start, r.length, ...r.lines);
      const got = fingerprintAfter(linesFingerprint(lines, finalNewline), lines, finalNewline, replacements, nextFinalNewline);
      if (!nextFinalNewline && next.length > 0 && next[next.length - 1] === "") {
        expect(got).toBeNull();
        nulls++;
      } else {
        expect(got).toEqual(lineFingerprint(render(next, nextFinalNewline)));
      }
    }
    expect(nulls).toBeGreaterThan(0);
  });
});

describe("fingerprintEdited and Fingerprinter", () => {
  it("derive from a previous version what a whole pass gives, with or without a known common head and tail", () => {
    const rnd = seededRandom(23);
    const word = words(rnd);
    for (let i = 0; i < 500; i++) {
      const eol = rnd() < 0.15 ? "\r\n" : "\n";
      const lines = Array.from({ length: Math.floor(rnd() * 10) }, word);
      const a = render(lines, rnd() < 0.7, eol);
      // A character-level edit: anywhere, across line ends, of any size.
      const from = Math.floor(rnd() * (a.length + 1));
      const to = Math.min(a.length, from + Math.floor(rnd() * 12));
      const inserted = Array.from({ length: Math.floor(rnd() * 3) }, () => (rnd() < 0.4 ? "\n" : word())).join("");
      const b = a.slice(0, from) + inserted + a.slice(to);
      const want = lineFingerprint(b);
      expect(fingerprintEdited(a, lineFingerprint(a), b)).toEqual(want);
      expect(fingerprintEdited(a, lineFingerprint(a), b, { prefix: Math.floor(from / 2), suffix: Math.floor((a.length - to) / 2) })).toEqual(want);
    }
  });

  it("fingerprints successive versions of large files, interleaved, like a whole pass does", () => {
    const rnd = seededRandom(5);
    const files: Record<string, string[]> = {
      "a.ts": Array.from({ length: 400 }, (_, i) => `line ${i} ${"=".repeat(i % 13)}`),
      "b.cs": Array.from({ length: 300 }, (_, i) => `int v${i} = ${i};`),
    };
    const fingerprints = new Fingerprinter();
    for (let v = 0; v < 60; v++) {
      const file = v % 3 === 2 ? "b.cs" : "a.ts";
      let lines = files[file] as string[];
      const at = Math.floor(rnd() * lines.length);
      lines = [...lines.slice(0, at), `edit ${v}`, ...lines.slice(at + Math.floor(rnd() * 3))];
      if (v % 7 === 3) lines.reverse();
      files[file] = lines;
      const text = render(lines, v % 5 !== 0, file === "b.cs" ? "\r\n" : "\n");
      expect(fingerprints.of(text, file)).toEqual(lineFingerprint(text));
      expect(fingerprints.of(text, file)).toEqual(lineFingerprint(text));
    }
  });
});

describe("the chain's fingerprint", () => {
  it("stays the fingerprint of its content through line replacements, recorded contents and dropped text", () => {
    const rnd = seededRandom(42);
    const word = words(rnd);
    let chain = chainOf("a\nb\nc\n", 0);
    chainFingerprint(chain);
    for (let step = 1; step <= 400; step++) {
      const expected = chain.lines;
      if (rnd() < 0.3) {
        const next = expected.map((l) => (rnd() < 0.2 ? word() : l));
        if (rnd() < 0.3) next.splice(Math.floor(rnd() * (next.length + 1)), 0, word());
        chain = advance(chain, render(next, rnd() < 0.8, rnd() < 0.2 ? "\r\n" : "\n"), step);
      } else {
        const replacements = randomReplacements(rnd, expected.length, word);
        if (rnd() < 0.3) dropText(chain);
        chain = replaceLines(chain, replacements, step, rnd() < 0.8);
      }
      expect(chainFingerprint(chain)).toEqual(linesFingerprint(chain.lines, chain.finalNewline));
      expect(chainFingerprint(chain)).toEqual(lineFingerprint(textOf(chain)));
    }
  });
});
