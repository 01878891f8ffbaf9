// A 10,000-line file with 500 edits of every kind the parsers emit, checked line by line against owners tracked
// while generating the history. The time is printed for the record, never asserted (speed belongs to benchmarks).

import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { attributeFile } from "../../src/attribution";
import type { StructuredHunk } from "../../src/events/edit-event";
import { chunk, History, notation } from "./support";
import { seededRandom } from "../support/random";

/** Claude's structuredPatch for replacing `removed` lines at `at` (0-based) by `added`, with 3 lines of context. */
function hunkAround(lines: readonly string[], at: number, removed: number, added: readonly string[]): StructuredHunk[] {
  const from = Math.max(0, at - 3);
  const to = Math.min(lines.length, at + removed + 3);
  const body = [
    ...lines.slice(from, at).map((l) => ` ${l}`),
    ...lines.slice(at, at + removed).map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
    ...lines.slice(at + removed, to).map((l) => ` ${l}`),
  ];
  const oldLines = to - from;
  const newLines = oldLines - removed + added.length;
  return [{ oldStart: from + 1, oldLines, newStart: from + 1, newLines, lines: body }];
}

/**
 * The history: a 10,000-line Write, then 500 edits cycling through what real traces hold — Codex chunks (no
 * content), Claude edits with structuredPatch but no originalFile (older versions), Claude edits with originalFile,
 * computed content and structuredPatch (deleting lines on some), and now and then a bare string edit.
 */
function build(): { history: History; current: string; owners: string[] } {
  const rnd = seededRandom(20251103);
  const h = new History();
  let lines = Array.from({ length: 10_000 }, (_, i) => `${"  ".repeat(i % 4)}const value${i} = compute(${i}, "${"x".repeat(i % 17)}");`);
  let owners = lines.map(() => "e0");
  const join = (ls: string[]) => ls.map((l) => `${l}\n`).join("");
  h.write("e0", join(lines));
  for (let k = 1; k <= 500; k++) {
    const id = `e${k}`;
    const at = 4 + Math.floor(rnd() * (lines.length - 12));
    const kind = k % 25 === 12 ? "bare" : (["codex", "old-claude", "delete", "claude", "claude"] as const)[k % 5];
    const target = lines[at] as string;
    const replaced = [`  step(${k}, "a");`, `  step(${k}, "b");`].slice(0, 1 + (k % 2));
    const removed = kind === "delete" && k % 3 === 0 ? 3 : 1;
    const added = removed === 3 ? [] : replaced;
    const nextLines = [...lines.slice(0, at), ...added, ...lines.slice(at + removed)];
    const nextOwners = [...owners.slice(0, at), ...added.map(() => id), ...owners.slice(at + removed)];
    const hunks = hunkAround(lines, at, removed, added);
    if (kind === "codex") {
      h.codexUpdate(id, [chunk([` ${lines[at - 1] as string}`, `-${target}`, ...added.map((r) => `+${r}`)])], { agent: "codex-cli" });
    } else if (kind === "old-claude") {
      h.edit(id, [[target, added.join("\n")]], { hunks });
    } else if (kind === "bare") {
      h.edit(id, [[target, added.join("\n")]]);
    } else {
      const oldString = lines.slice(at, at + removed).map((l) => `${l}\n`).join("");
      const newString = added.map((l) => `${l}\n`).join("");
      h.edit(id, [[oldString, newString]], { before: join(lines), after: join(nextLines), hunks });
    }
    lines = nextLines;
    owners = nextOwners;
  }
  return { history: h, current: join(lines), owners };
}

describe("a 10,000-line file with 500 edits", () => {
  it("attributes every line to the edit that last wrote it", () => {
    const { history, current, owners } = build();
    const times: string[] = [];
    let result = attributeFile(history.events, history.store, current);
    for (let run = 0; run < 5; run++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      result = attributeFile(history.events, history.store, current);
      const cpu = process.cpuUsage(cpu0);
      times.push(`${(performance.now() - t0).toFixed(1)} ms (cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms)`);
    }
    console.log(`attribution of ${result.lines.length} lines / ${result.events} events: ${times.join(", ")}`);
    expect(result.events).toBe(501);
    expect(result.fallbacks).toBe(0);
    const got = notation(result);
    expect(got.length).toBe(owners.length);
    // Spot checks first (readable failures), then every line.
    for (const i of [0, 1, 2500, 5000, 7500, owners.length - 1]) expect(`${i}: ${got[i]}`).toBe(`${i}: ${owners[i]}`);
    expect(got).toEqual(owners);
    expect(new Set(got).size).toBeGreaterThan(300);
  });

  it("keeps owners when a human edits the file afterwards", () => {
    const { history, current, owners } = build();
    const lines = current.split("\n").slice(0, -1);
    lines.splice(4000, 0, "// reviewed by hand");
    lines[6001] = `${lines[6001] as string} // tweaked`;
    const result = attributeFile(history.events, history.store, `${lines.join("\n")}\n`);
    const expected = [...owners];
    expected.splice(4000, 0, "?after");
    expected[6001] = "?after";
    expect(notation(result)).toEqual(expected);
  });
});
