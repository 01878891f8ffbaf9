// Fingerprints spare content loads without changing answers: a long Claude history replays with one or two loads,
// a human edit between AI edits (changed lines, reordered lines, CRLF) is still found through the fingerprint that
// no longer matches, events without fingerprints (older indexes) replay as before, and random histories give the
// same result with and without fingerprints.

import { describe, expect, it } from "vitest";
import { attributeFile, type AttributionResult } from "../../src/attribution";
import type { EditEvent } from "../../src/events/edit-event";
import { chunk, CountingStore, History, hunksOf, notation, text, withFingerprints } from "./support";
import { seededRandom } from "../support/random";

/** Attribution with a counting store: the result and how many contents were read. */
function attribute(events: readonly EditEvent[], history: History, current: string): { result: AttributionResult; gets: number } {
  const store = new CountingStore(history.store);
  const result = attributeFile(events, store, current);
  return { result, gets: store.gets };
}

/** Claude Edit of `lines[at]` as the parser records it: originalFile, computed content and structuredPatch. */
function claudeEdit(h: History, id: string, lines: string[], at: number, replacement: string[]): string[] {
  const next = [...lines.slice(0, at), ...replacement, ...lines.slice(at + 1)];
  h.edit(id, [[`${lines[at] as string}\n`, replacement.map((l) => `${l}\n`).join("")]], { before: text(...lines), after: text(...next) });
  return next;
}

describe("content loads with fingerprints", () => {
  it("replays 500 Claude edits of a 2,000-line file with one load (the created content), as without fingerprints", () => {
    const h = new History();
    let lines = Array.from({ length: 2000 }, (_, i) => `const v${i} = ${i};`);
    h.write("e0", text(...lines));
    const rnd = seededRandom(3);
    for (let k = 1; k <= 500; k++) {
      const at = Math.floor(rnd() * lines.length);
      lines = claudeEdit(h, `e${k}`, lines, at, k % 3 === 0 ? [] : [`const v${at} = step(${k});`]);
    }
    const current = text(...lines);
    const plain = attribute(h.events, h, current);
    const fast = attribute(withFingerprints(h.events, h.store), h, current);
    expect(fast.gets).toBe(1);
    expect(plain.gets).toBeGreaterThanOrEqual(500);
    expect(fast.result).toEqual(plain.result);
    expect(notation(fast.result).filter((o) => o.startsWith("?"))).toEqual([]);
  });

  it("finds a human edit between AI edits through the before fingerprint, and loads only that content", () => {
    const h = new History();
    const v1 = text("def load():", "    return 1", "", "def save():", "    return 2");
    h.write("e1", v1);
    const v2 = text("def load():", "    return read()", "", "def save():", "    return 2");
    h.edit("e2", [["    return 1", "    return read()"]], { before: v1, after: v2 });
    // The human renames save; Claude's next originalFile shows it.
    const human = text("def load():", "    return read()", "", "def store():", "    return 2");
    const v3 = text("def load():", "    return read()", "", "def store():", "    return write()");
    h.edit("e3", [["    return 2", "    return write()"]], { before: human, after: v3 });
    const fast = attribute(withFingerprints(h.events, h.store), h, v3);
    expect(notation(fast.result)).toEqual(["e1", "e2", "e1", "?outside", "e3"]);
    expect(fast.gets).toBe(2);
    expect(fast.result).toEqual(attribute(h.events, h, v3).result);
  });

  it("finds lines a human only reordered (sorted imports), which a plain line-hash sum would miss", () => {
    const h = new History();
    const v1 = text("import zlib", "import os", "import abc", "", "print(1)");
    h.write("e1", v1);
    const sorted = text("import abc", "import os", "import zlib", "", "print(1)");
    const v2 = text("import abc", "import os", "import zlib", "", "print(2)");
    h.edit("e2", [["print(1)", "print(2)"]], { before: sorted, after: v2 });
    const fast = attribute(withFingerprints(h.events, h.store), h, v2);
    expect(fast.result).toEqual(attribute(h.events, h, v2).result);
    expect(notation(fast.result).filter((o) => o === "?outside").length).toBeGreaterThan(0);
    expect(notation(fast.result)[4]).toBe("e2");
    expect(fast.gets).toBe(2);
  });

  it("finds a blank line a formatter moved to another run of blank lines, which keeps every pair of neighbours", () => {
    const h = new History();
    const v1 = text("import os", "", "", "", "def f():", "    pass", "", "def g():", "    pass");
    h.write("e1", v1);
    const formatted = text("import os", "", "", "def f():", "    pass", "", "", "def g():", "    pass");
    const v2 = text("import os", "", "", "def f():", "    pass", "", "", "def g():", "    return 1");
    h.edit("e2", [["    pass\n", "    return 1\n"]], { before: formatted, after: v2, hunks: hunksOf(formatted, v2) });
    const fast = attribute(withFingerprints(h.events, h.store), h, v2);
    expect(fast.result).toEqual(attribute(h.events, h, v2).result);
    expect(notation(fast.result)).toEqual(["e1", "e1", "e1", "e1", "e1", "?outside", "e1", "e1", "e2"]);
  });

  it("loads the recorded content when the structuredPatch disagrees with it, as without fingerprints", () => {
    const h = new History();
    const v1 = text("a", "b", "c", "d");
    h.write("e1", v1);
    // The user changed Claude's proposal: the patch shows the proposal, the recorded content what was written.
    const proposed = text("a", "B", "c", "d");
    const written = text("a", "B!", "c", "d");
    h.edit("e2", [["b", "B!"]], { before: v1, after: written, hunks: hunksOf(v1, proposed) });
    const fast = attribute(withFingerprints(h.events, h.store), h, written);
    expect(fast.result).toEqual(attribute(h.events, h, written).result);
    expect(notation(fast.result)).toEqual(["e1", "e2", "e1", "e1"]);
    expect(fast.result.lines[1]?.text).toBe("B!");
    expect(fast.gets).toBe(2);
  });

  it("loads the content when the file has CRLF line ends, and answers as without fingerprints", () => {
    const h = new History();
    const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join("");
    const v1 = crlf("a", "b", "c");
    const v2 = crlf("a", "B", "c");
    h.write("e1", v1);
    h.edit("e2", [["b", "B"]], { before: v1, after: v2 });
    const fast = attribute(withFingerprints(h.events, h.store), h, v2);
    expect(notation(fast.result)).toEqual(["e1", "e2", "e1"]);
    expect(fast.gets).toBeGreaterThan(1);
    expect(fast.result).toEqual(attribute(h.events, h, v2).result);
  });

  it("replays events without fingerprints (indexed before they existed) next to newer ones", () => {
    const h = new History();
    let lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    h.write("e0", text(...lines));
    for (let k = 1; k <= 20; k++) lines = claudeEdit(h, `e${k}`, lines, (k * 7) % lines.length, [`line ${k} edited`]);
    const current = text(...lines);
    const plain = attribute(h.events, h, current);
    const mixed = [...h.events.slice(0, 10), ...withFingerprints(h.events.slice(10), h.store)];
    const partly = attribute(mixed, h, current);
    expect(partly.result).toEqual(plain.result);
    expect(plain.gets).toBeGreaterThan(partly.gets);
    expect(partly.gets).toBeGreaterThan(1);
    expect(notation(plain.result).filter((o) => o.startsWith("?"))).toEqual([]);
  });
});

describe("random histories", () => {
  /** Few distinct lines, so hunks have duplicate contexts and moves keep the same lines. */
  const pool = ["}", "", "  return 0;", "x = 1", "y = 2", "# note", "def f():", "import os"];

  function history(seed: number): { h: History; current: string } {
    const rnd = seededRandom(seed);
    const word = () => pool[Math.floor(rnd() * pool.length)] as string;
    const h = new History();
    let lines = Array.from({ length: 6 + Math.floor(rnd() * 20) }, word);
    let finalNewline = true;
    let eol = "\n";
    const render = () => (lines.length === 0 ? "" : lines.join(eol) + (finalNewline ? eol : ""));
    h.write("e0", render());
    for (let k = 1; k <= 30; k++) {
      const roll = rnd();
      if (roll < 0.2) {
        // A human edit outside the traces: change, insert, delete, move a block, swap, final newline, line ends.
        const at = Math.floor(rnd() * (lines.length + 1));
        const kind = Math.floor(rnd() * 7);
        if (kind === 0 && at < lines.length) lines[at] = word();
        if (kind === 1) lines.splice(at, 0, word());
        if (kind === 2) lines.splice(at, 1);
        if (kind === 3) lines = [...lines.slice(at), ...lines.slice(0, at)];
        if (kind === 4 && lines.length > 1) {
          const other = Math.floor(rnd() * lines.length);
          const keep = lines[other] as string;
          lines[other] = lines[at % lines.length] as string;
          lines[at % lines.length] = keep;
        }
        if (kind === 5) finalNewline = !finalNewline;
        if (kind === 6) eol = eol === "\n" ? "\r\n" : "\n";
        continue;
      }
      const before = render();
      const at = Math.floor(rnd() * lines.length);
      const count = Math.min(lines.length - at, 1 + Math.floor(rnd() * 3));
      const removed = lines.slice(at, at + count);
      const added = Array.from({ length: Math.floor(rnd() * 4) }, word);
      lines = [...lines.slice(0, at), ...added, ...lines.slice(at + count)];
      const after = render();
      const oldString = removed.join(eol);
      const newString = added.join(eol);
      if (roll < 0.6) h.edit(`e${k}`, [[oldString, newString]], { before, after });
      else if (roll < 0.7) h.write(`e${k}`, after, { before });
      else if (roll < 0.8) h.edit(`e${k}`, [[oldString, newString]], { hunks: hunksOf(before, after) });
      else if (roll < 0.9) h.edit(`e${k}`, [[oldString, newString]], { before, after, hunks: [] });
      else {
        eol = "\n";
        finalNewline = true;
        h.codexUpdate(`e${k}`, [chunk([...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`)])]);
        lines = [...lines];
      }
    }
    if (rnd() < 0.5 && lines.length > 0) lines[Math.floor(rnd() * lines.length)] = "edited by hand";
    return { h, current: render() };
  }

  it("give the same answer with and without fingerprints", () => {
    let saved = 0;
    let outside = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { h, current } = history(seed);
      const plain = attribute(h.events, h, current);
      const fast = attribute(withFingerprints(h.events, h.store), h, current);
      expect(fast.result, `seed ${seed}`).toEqual(plain.result);
      expect(fast.gets).toBeLessThanOrEqual(plain.gets);
      saved += plain.gets - fast.gets;
      outside += notation(plain.result).filter((o) => o === "?outside").length;
    }
    // The histories exercise both paths: fingerprints spared loads, and human edits were found.
    expect(saved).toBeGreaterThan(1000);
    expect(outside).toBeGreaterThan(100);
  });
});
